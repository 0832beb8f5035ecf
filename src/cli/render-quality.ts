import type { QualityReport, ScoredStory, QualityFinding } from '../app/index.ts';
import { paint, type Terminal } from './terminal.ts';

/** Green from 80, yellow from 50, red below. */
export function scoreColour(score: number): 'green' | 'yellow' | 'red' {
  return score >= 80 ? 'green' : score >= 50 ? 'yellow' : 'red';
}

/** `✗ error  rule-id  message` and the fix below it. */
export function renderFinding(
  finding: QualityFinding,
  terminal: Pick<Terminal, 'color'>,
  indent = '    ',
): string[] {
  const mark =
    finding.severity === 'error'
      ? paint(terminal, 'red', '✗ error  ')
      : finding.severity === 'warning'
        ? paint(terminal, 'yellow', '! warning')
        : paint(terminal, 'dim', 'i info   ');
  return [
    `${indent}${mark} ${paint(terminal, 'dim', finding.rule)}  ${finding.message}`,
    `${indent}          ${paint(terminal, 'dim', `Fix: ${finding.fix}`)}`,
  ];
}

/** One story: its score, each case's score and findings, then the findings about the set. */
export function renderScoredStory(story: ScoredStory, terminal: Pick<Terminal, 'color'>): string {
  const { quality } = story;
  const lines = [
    `${paint(terminal, 'cyan', `${story.storyKey}: ${story.summary}`)}  ${paint(terminal, scoreColour(quality.score), `${quality.score}/100`)}  ${paint(terminal, 'dim', `${story.caseCount} cases`)}`,
  ];
  for (const caseQuality of quality.cases) {
    const title = story.titles[caseQuality.testCaseId] ?? '';
    lines.push(
      `  ${caseQuality.testCaseId}  ${paint(terminal, scoreColour(caseQuality.score), String(caseQuality.score).padStart(3))}  ${title}`,
    );
    for (const finding of caseQuality.findings) lines.push(...renderFinding(finding, terminal));
  }
  const setFindings = quality.findings.filter((finding) => !finding.testCaseId);
  if (setFindings.length) {
    lines.push('  The set as a whole:');
    for (const finding of setFindings) lines.push(...renderFinding(finding, terminal));
  }
  return lines.join('\n');
}

/** The whole report: each story, then the overall score. */
export function renderQualityReport(
  report: Pick<QualityReport, 'score' | 'storyCount' | 'caseCount' | 'stories'>,
  terminal: Pick<Terminal, 'color'>,
  label = 'Overall',
): string {
  const stories = report.stories.map((story) => renderScoredStory(story, terminal));
  const overall = `${paint(terminal, 'bold', `${label}:`)} ${paint(terminal, scoreColour(report.score), `${report.score}/100`)} over ${report.storyCount} ${report.storyCount === 1 ? 'story' : 'stories'}, ${report.caseCount} test cases`;
  return [...stories, overall].join('\n\n');
}
