import { computed, nextTick, ref } from 'vue'
import { useForm } from '@inertiajs/vue3'

/**
 * An in-page "Remove … ? Yes / Cancel" step before a DELETE (or another method, e.g. a POST that
 * withdraws), accessible by keyboard: focus moves to the confirmation's heading when asked, back
 * to the remove button on cancel or when the server refuses (its error then shows next to the
 * button). The confirmation is a `ConfirmStep`, whose `focus()` focuses its heading.
 */
export function useConfirmedRemoval(
  url: () => string,
  options: { method?: 'delete' | 'post' } = {}
) {
  const removeForm = useForm({})
  const removeErrors = computed(() => removeForm.errors as Record<string, string | undefined>)
  const confirming = ref(false)
  const confirmHeading = ref<{ focus: () => void } | null>(null)
  const removeButton = ref<HTMLButtonElement | null>(null)

  async function backToButton() {
    confirming.value = false
    await nextTick()
    removeButton.value?.focus()
  }

  async function askToRemove() {
    removeForm.clearErrors()
    confirming.value = true
    await nextTick()
    confirmHeading.value?.focus()
  }

  function remove() {
    removeForm.submit(options.method ?? 'delete', url(), {
      preserveScroll: true,
      onError: backToButton,
    })
  }

  /** Template function refs: `:ref="confirmHeadingRef"`, `:ref="removeButtonRef"`. */
  const confirmHeadingRef = (el: unknown) => {
    confirmHeading.value = (el as { focus: () => void } | null) ?? null
  }
  const removeButtonRef = (el: unknown) => {
    removeButton.value = (el as HTMLButtonElement | null) ?? null
  }

  return {
    removeForm,
    removeErrors,
    confirming,
    confirmHeadingRef,
    removeButtonRef,
    askToRemove,
    cancelRemove: backToButton,
    remove,
  }
}
