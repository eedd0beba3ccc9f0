// The progress line of `stratusdb backup|restore|export|import`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { progressLine } from './progress-bar.js';

describe('progressLine', () => {
  it('draws a bar, the share and the counts when the total is known', () => {
    assert.equal(progressLine(0, 100_000, 'items'), '[------------------------------]   0%  0 / 100,000 items');
    assert.equal(progressLine(45_000, 100_000, 'items'), '[##############----------------]  45%  45,000 / 100,000 items');
    assert.equal(progressLine(100_000, 100_000, 'bytes'), '[##############################] 100%  100,000 / 100,000 bytes');
  });

  it('caps the bar at the total, and counts alone without one', () => {
    assert.equal(progressLine(120, 100, 'items'), '[##############################] 100%  120 / 100 items');
    assert.equal(progressLine(12_345, undefined, 'items processed'), '12,345 items processed');
    assert.equal(progressLine(5, 0, 'items'), '5 items');
  });
});
