const DECIMAL = /^\d+$/;

/**
 * Orders archive ids the way the channel's archive does ([ORD1]). ejabberd's MAM ids are
 * decimal microsecond timestamps, compared as numbers; other ids compare as strings.
 */
export function compareArchiveIds(a: string, b: string): number {
  if (DECIMAL.test(a) && DECIMAL.test(b)) {
    a = a.replace(/^0+(?=\d)/, '');
    b = b.replace(/^0+(?=\d)/, '');
    if (a.length !== b.length) return a.length - b.length;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}
