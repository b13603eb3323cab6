import { configApp } from '@adonisjs/eslint-config'

export default configApp({
  ignores: ['resources/js/**', 'public/**', 'tmp/**', 'build/**', '.adonisjs/**', 'tests/browser/screenshots/**'],
})
