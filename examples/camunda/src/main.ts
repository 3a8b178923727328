import * as path from 'path';
import { buildApp } from './app';

buildApp(path.join(__dirname, '..', 'cdktf.out')).synth();
