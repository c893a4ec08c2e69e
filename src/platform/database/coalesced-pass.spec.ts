import { CoalescedPass } from './coalesced-pass';

/** A pass the test finishes by hand, counting its starts. */
function controlledPass() {
  const finishers: ((error?: Error) => void)[] = [];
  const pass = jest.fn(() => new Promise<void>((resolve, reject) => finishers.push((error) => (error ? reject(error) : resolve()))));
  const finish = async (error?: Error) => {
    finishers.shift()!(error);
    await Promise.resolve();
    await Promise.resolve();
    await Promise.resolve();
  };
  return { pass, finish };
}

describe('CoalescedPass', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('starts at once after a quiet spell, and answers every kick during a pass with one more pass a gap later', async () => {
    const { pass, finish } = controlledPass();
    const runner = new CoalescedPass(pass, 250, () => undefined);
    runner.kick();
    expect(pass).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 100; i++) runner.kick(); // a hundred commits during the pass
    expect(pass).toHaveBeenCalledTimes(1);
    await finish();
    // commits during the gap start nothing of their own: the pass due at its end takes them
    runner.kick();
    jest.advanceTimersByTime(249);
    expect(pass).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(1);
    expect(pass).toHaveBeenCalledTimes(2);
    await finish();
    // nothing came during the second pass: the next commit starts one at once
    jest.advanceTimersByTime(10_000);
    expect(pass).toHaveBeenCalledTimes(2);
    runner.kick();
    expect(pass).toHaveBeenCalledTimes(3);
  });

  it('reports a failed pass and runs again on the next kick', async () => {
    const { pass, finish } = controlledPass();
    const errors: unknown[] = [];
    const runner = new CoalescedPass(pass, 250, (error) => errors.push(error));
    runner.kick();
    await finish(new Error('database gone'));
    expect(errors).toEqual([new Error('database gone')]);
    runner.kick();
    expect(pass).toHaveBeenCalledTimes(2);
  });

  it('stops: waits for the pass under way, drops the one due, starts no more', async () => {
    const { pass, finish } = controlledPass();
    const runner = new CoalescedPass(pass, 250, () => undefined);
    runner.kick();
    runner.kick(); // one more is due after this pass
    let stopped = false;
    const stopping = runner.stop().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);
    await finish();
    await stopping;
    jest.advanceTimersByTime(1000);
    runner.kick();
    expect(pass).toHaveBeenCalledTimes(1);
  });
});
