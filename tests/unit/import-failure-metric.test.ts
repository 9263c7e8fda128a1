import { endsTheRun } from '../../workers/interceptors';
import { upstreamCall } from '../../workflows/activity-options';

describe('an import activity that fails for good counts as a failed import', () => {
  const last = upstreamCall.retry!.maximumAttempts!;

  it('a permanent error ends the run on any attempt', () => {
    const err = Object.assign(new Error('bad'), { name: 'ValidationError' });
    expect(endsTheRun(err, 1)).toBe(true);
    expect(endsTheRun(Object.assign(new Error('x'), { type: 'AuthError' }), 2)).toBe(true);
  });

  it('a retryable error ends it only on the last attempt the policy allows', () => {
    const err = Object.assign(new Error('503'), { name: 'TransientUpstreamError' });
    expect(endsTheRun(err, 1)).toBe(false);
    expect(endsTheRun(err, last - 1)).toBe(false);
    expect(endsTheRun(err, last)).toBe(true);
  });
});
