import { Exception } from '@adonisjs/core/exceptions'

/**
 * A record or page that does not exist, or that this person may not know exists.
 */
export default class NotFoundException extends Exception {
  static status = 404
  static code = 'E_NOT_FOUND'

  constructor(message = 'Not found') {
    super(message, { status: 404, code: 'E_NOT_FOUND' })
  }
}
