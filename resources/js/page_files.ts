/**
 * Where the file of an Inertia page is, relative to resources/js/ (the keys of the
 * `import.meta.glob` maps in app.ts): core pages `<area>/<resource>/<action>` under `pages/`, a
 * plugin's pages `plugins/<id>/<area>/<name>` in that plugin's folder,
 * `plugins/<id>/pages/<area>/<name>.vue` (the names the plugin registry checks at boot).
 */
const PLUGIN_PAGE = /^plugins\/([a-z][a-z0-9_]{1,30})\/((?:[a-z][a-z0-9_]*\/)+[a-z][a-z0-9_]*)$/

export function pageFile(name: string): string {
  const plugin = PLUGIN_PAGE.exec(name)
  return plugin ? `../../plugins/${plugin[1]}/pages/${plugin[2]}.vue` : `./pages/${name}.vue`
}
