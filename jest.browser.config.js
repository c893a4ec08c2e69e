// npm run test:browser: the cockpit and the public portal in headless Chromium (Debian's `chromium`, driven by
// puppeteer-core; nothing is downloaded), over the demo with its year of history. Not part of `npm test`.
const base = require('./jest.config');

const e2e = base.projects.find((p) => p.displayName === 'e2e');
module.exports = {
  testTimeout: 600000,
  projects: [{ ...e2e, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'] }],
};
