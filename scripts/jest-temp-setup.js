// jest globalSetup: every test of a run writes its temporary folders (cdktf's Testing.app() makes one per app) under
// one folder of its own, which jest-temp-teardown.js removes, so a run leaves nothing in the system temp folder.
const fs = require('fs');
const os = require('os');
const path = require('path');

module.exports = async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-ecs-jest-'));
  process.env.TTS_ECS_JEST_TMPDIR = dir;
  process.env.TMPDIR = dir; // os.tmpdir() of the workers, which start after this
};
