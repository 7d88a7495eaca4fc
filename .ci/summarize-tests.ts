// Prints the plain closing line CI reads ("N passed, M failed[, K skipped]") from vitest's JSON report.
import { readFileSync } from 'node:fs';

interface Report {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: Array<{ name: string; status: string; message?: string; assertionResults: Array<{ status: string }> }>;
}

const file = process.argv[2] ?? '.tmp/vitest-report.json';
let report: Report;
try {
  report = JSON.parse(readFileSync(file, 'utf8')) as Report;
} catch {
  console.log('0 passed, 1 failed');
  console.error(`no test report at ${file}: the test run did not complete`);
  process.exit(1);
}
// A file that fails to load (or fails in a hook) has no failed test of its own, but it is a failure all the same.
const brokenFiles = report.testResults.filter((result) => result.status === 'failed' && !result.assertionResults.some((test) => test.status === 'failed'));
for (const broken of brokenFiles) console.error(`test file failed outside its tests: ${broken.name}\n${broken.message ?? ''}`);
const failed = report.numFailedTests + brokenFiles.length;
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`${report.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
