import { configApp } from '@adonisjs/eslint-config'

export default configApp(
  {
    ignores: ['resources/js/**', 'public/**', 'tmp/**', 'build/**', '.adonisjs/**', 'tests/browser/screenshots/**'],
  },
  {
    rules: {
      // Stylistic only: `(await query).map(...)` reads fine.
      '@unicorn/no-await-expression-member': 'off',
    },
  }
)
