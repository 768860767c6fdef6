/**
 * Container logs as text. The engine multiplexes stdout and stderr of a container without a TTY
 * into frames: 1 byte stream type, 3 zero bytes, a 4-byte big-endian length, then the payload.
 * A buffer that does not look like frames is returned as plain text.
 */
export function demuxLogs(buf: Buffer): string {
  const frames = demuxFrames(buf);
  return frames === undefined ? buf.toString('utf8') : Buffer.concat(frames).toString('utf8');
}

/**
 * The payloads of the frames in `buf`, in order (the engine writes one frame per log entry);
 * undefined when `buf` does not look like frames (a container with a TTY).
 */
export function demuxFrames(buf: Buffer): Buffer[] | undefined {
  const parts: Buffer[] = [];
  let i = 0;
  while (i + 8 <= buf.length) {
    const type = buf[i]!;
    if (type > 2 || buf[i + 1] !== 0 || buf[i + 2] !== 0 || buf[i + 3] !== 0) return undefined;
    const size = buf.readUInt32BE(i + 4);
    parts.push(buf.subarray(i + 8, i + 8 + size));
    i += 8 + size;
  }
  return i === buf.length ? parts : undefined;
}

/** The last `n` lines of `text`, indented for an error message. */
export function lastLines(text: string, n = 20): string {
  const lines = text.trimEnd().split('\n').slice(-n);
  return lines.length === 1 && lines[0] === '' ? '  | (no output)' : lines.map((l) => `  | ${l}`).join('\n');
}

/** The last line of `text` that says something, cut to `max` characters; '' when there is none. */
export function lastLine(text: string, max = 300): string {
  const lines = text.trimEnd().split('\n');
  return (lines[lines.length - 1] ?? '').trimEnd().slice(0, max);
}
