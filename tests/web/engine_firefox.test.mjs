import { engineSuite } from './engine_suite.mjs';

engineSuite('firefox');
