// Test support, preloaded with `node --import` into a real server process: on SIGUSR2 it throws
// an error nothing catches (COPYDESK_INJECT_FAULT=exception, the default) or leaves a promise
// rejection unhandled (=rejection), so the last-resort policy in main.ts can be tested end to end.
process.on('SIGUSR2', () => {
  if (process.env.COPYDESK_INJECT_FAULT === 'rejection') {
    void Promise.reject(new Error('injected fault: unhandled rejection'));
    return;
  }
  setImmediate(() => {
    throw new Error('injected fault: uncaught exception');
  });
});
