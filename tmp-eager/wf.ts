import { proxyActivities } from '@temporalio/workflow';
const a = proxyActivities<{ step(n: number): Promise<number> }>({ startToCloseTimeout: '1 minute' });
export async function threeSteps(): Promise<number> {
  let x = 0;
  for (let i = 0; i < 3; i++) x += await a.step(i);
  return x;
}
