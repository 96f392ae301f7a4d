import type { Obj } from './platform';

/**
 * Penalty records the simulated Guangzhou platform holds, in its own shape, for the demo
 * companies of gateway/sandbox/demo-data.ts (dated inside the current rules window).
 */
export const DEMO_PLATFORM_PENALTIES: { tyshxydm: string; cfxx: Obj }[] = [
  {
    tyshxydm: '91350100M000100Y43',
    cfxx: {
      xzqh: '440100',
      cfjg: '广州市市场监督管理局',
      hylb: '01',
      cfjdsh: '穗市监罚〔2026〕88号',
      cfrq: '20260512',
      gsksrq: '20260518',
      cfzl: [{ lb: '01' }],
      cfjb: '2',
      fkje: 8000,
      jnrq: '20260601',
      lxqk: '1',
    },
  },
];
