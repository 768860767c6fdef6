import { RaftChaosError } from '../../../../common/src/errors.js';

/**
 * An error the HTTP API answers with `{"error": message, "status": status}`. Thrown by the
 * proxy and toxic collections for every condition of the spec's error table; anything else
 * that escapes a handler becomes a 500.
 */
export class ApiError extends RaftChaosError {
  constructor(
    readonly status: number,
    message: string,
    /** Extra fields of the error body (populate's partial `proxies`). */
    readonly extra?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
  }
}

/** 400 `bad request body: <detail>`. */
export const badBody = (detail: string): ApiError => new ApiError(400, `bad request body: ${detail}`);
/** 400 `missing required field: <field>`. */
export const missingField = (field: string): ApiError => new ApiError(400, `missing required field: ${field}`);
/** 404 `proxy not found`. */
export const proxyNotFound = (): ApiError => new ApiError(404, 'proxy not found');
/** 409 `proxy already exists`. */
export const proxyExists = (): ApiError => new ApiError(409, 'proxy already exists');
/** 400 for a bad `stream`. */
export const badStream = (): ApiError =>
  new ApiError(400, 'stream was invalid, can be either upstream or downstream');
/** 400 `invalid toxic type`. */
export const badToxicType = (): ApiError => new ApiError(400, 'invalid toxic type');
/** 409 `toxic already exists`. */
export const toxicExists = (): ApiError => new ApiError(409, 'toxic already exists');
/** 404 `toxic not found`. */
export const toxicNotFound = (): ApiError => new ApiError(404, 'toxic not found');
/** 500 carrying a listen failure in Go's wording. */
export const listenFailed = (message: string): ApiError => new ApiError(500, message);
