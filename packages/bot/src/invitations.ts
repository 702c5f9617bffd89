/** Whether an inviter is allowed by a list of bare JIDs, domains and `*`. */
export function inviterAllowed(inviter: string, allowed: readonly string[]): boolean {
  const domain = inviter.slice(inviter.indexOf('@') + 1);
  return allowed.some((entry) => entry === '*' || entry === inviter || entry === domain);
}
