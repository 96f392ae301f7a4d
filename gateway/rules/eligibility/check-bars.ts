/**
 * Sector bars: some sector rules keep publicity running its full period whatever the company
 * does, e.g. SAMR Order 45 Art. 14 ¶3 for market supervision. Bars are rule-set data keyed by
 * sector and measure (DOMAIN.md, Conditions to apply, item 4).
 */
import type { RecordContext, Verdict } from './context';

export function checkBars(ctx: RecordContext): Verdict | undefined {
  const { record } = ctx;
  const bar = ctx.rules.bars.find(
    (b) => b.sector === record.sector && record.measures.some((m) => b.measures.includes(m.type)),
  );
  if (!bar) return undefined;
  return {
    outcome: 'not_repairable',
    eligibleFrom: null,
    ruleId: bar.id,
    reason: `Not repairable early: ${bar.reason} (${bar.source}). Publicity runs until ${ctx.publicityEndsOn}.`,
    reasonZh: `不可提前修复：${bar.reasonZh}。公示至${ctx.publicityEndsOn}。`,
  };
}
