import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchResults } from '../results.ts';
import { README_PATH, readmeParagraph, readmeSection } from './readme.ts';

/** The README may only claim what a committed results file (written by the harness) says. */
describe('README benchmark paragraph', () => {
  it('is exactly what the generator makes from the results file it names', () => {
    const section = readmeSection(readFileSync(README_PATH, 'utf8'));
    expect(section, 'README.md needs a <!-- bench:start <file> --> … <!-- bench:end --> section').not.toBeNull();
    const results = JSON.parse(readFileSync(join(README_PATH, '..', section!.file), 'utf8')) as BenchResults;
    expect(section!.body).toBe(readmeParagraph(results, section!.file));
  });
});
