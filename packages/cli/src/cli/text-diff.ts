/** A unified diff of two texts (line based), for `--dry-run`. Small inputs only: O(n·m) LCS. */
export function unifiedDiff(before: string, after: string, labels: { from: string; to: string }, context = 3): string {
  if (before === after) return "";
  const a = before === "" ? [] : before.replace(/\n$/, "").split("\n");
  const b = after === "" ? [] : after.replace(/\n$/, "").split("\n");
  // lcs[i][j] = length of the longest common subsequence of a[i:] and b[j:].
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  type Op = { kind: " " | "-" | "+"; text: string; ai: number; bi: number };
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) ops.push({ kind: " ", text: a[i], ai: i++, bi: j++ });
    // Deletions before insertions, as diff(1) prints them.
    else if (i < a.length && (j === b.length || lcs[i + 1][j] >= lcs[i][j + 1]))
      ops.push({ kind: "-", text: a[i], ai: i++, bi: j });
    else ops.push({ kind: "+", text: b[j], ai: i, bi: j++ });
  }
  const changed = ops.map((op, k) => (op.kind !== " " ? k : -1)).filter((k) => k >= 0);
  const hunks: Array<[number, number]> = [];
  for (const k of changed) {
    const start = Math.max(0, k - context);
    const end = Math.min(ops.length - 1, k + context);
    const last = hunks[hunks.length - 1];
    if (last && start <= last[1] + 1) last[1] = Math.max(last[1], end);
    else hunks.push([start, end]);
  }
  const out = [`--- ${labels.from}`, `+++ ${labels.to}`];
  for (const [start, end] of hunks) {
    const slice = ops.slice(start, end + 1);
    const aLines = slice.filter((op) => op.kind !== "+").length;
    const bLines = slice.filter((op) => op.kind !== "-").length;
    const aStart = aLines ? slice.find((op) => op.kind !== "+")!.ai + 1 : slice[0].ai;
    const bStart = bLines ? slice.find((op) => op.kind !== "-")!.bi + 1 : slice[0].bi;
    out.push(`@@ -${aStart},${aLines} +${bStart},${bLines} @@`);
    for (const op of slice) out.push(op.kind + op.text);
  }
  return out.join("\n") + "\n";
}
