/**
 * Test support: resolves once `cond()` is true, checking every `everyMs`; rejects with
 * `condition not met in time` (and `what`, when given) after `timeoutMs`.
 */
export async function until(cond: () => boolean | Promise<boolean>, timeoutMs = 5000, what = '', everyMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`condition not met in time${what ? `: ${what}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
