// jest globalTeardown: removes the run's temporary folder made by jest-temp-setup.js.
const fs = require('fs');

module.exports = async () => {
  const dir = process.env.TTS_ECS_JEST_TMPDIR;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
};
