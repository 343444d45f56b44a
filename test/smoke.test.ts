import { describe, expect, it } from 'vitest';
import { parseDuration } from '../src/engine/duration.js';
describe('smoke', () => { it('parses', () => { expect(parseDuration('5 minuts')).toBeNull(); expect(parseDuration('1.5h')).toBe(5400000); }); });
