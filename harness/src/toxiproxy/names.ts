import { ApiError } from './api/api-error.js';

/**
 * Checks a proxy or toxic name. Any text is allowed (spaces, unicode, `%`...) except what
 * cannot appear in one URL path segment after decoding: `/`, and control characters. At most
 * 256 characters. Throws 400 naming the problem.
 */
export function checkName(name: string, what: 'proxy' | 'toxic'): void {
  // eslint-disable-next-line no-control-regex
  if (name.includes('/') || /[\u0000-\u001f\u007f]/.test(name)) {
    throw new ApiError(400, `invalid ${what} name ${JSON.stringify(name)}: it must not contain "/" or control characters`);
  }
  if (name.length > 256) throw new ApiError(400, `invalid ${what} name: longer than 256 characters`);
}
