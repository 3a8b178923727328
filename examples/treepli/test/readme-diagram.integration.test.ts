import * as path from 'path';
import { itShowsTheCurrentDiagram } from '@tts-ecs/testing';
import { buildApp } from '../src/app';

itShowsTheCurrentDiagram(path.join(__dirname, '..'), buildApp);
