// The bootstrap stack (the state bucket). `tts-ecs synth` runs it into <out>/bootstrap/.
import { runApp } from '@tts-ecs/stacks';
import { compose } from './app';

runApp(__dirname, compose);
