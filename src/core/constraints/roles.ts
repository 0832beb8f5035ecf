import { DETERMINERS, cleanNounPhrase } from './subjects.ts';
import type { Constraint, ConstraintContext, RoleConstraint } from './types.ts';

/** Who may do what: `only admins can …`, `visible only to managers`, `guests cannot …`, `as a user, I …`. */

const ROLE_NOUN =
  '(?:super[- ]?admins?|admins?|administrators?|managers?|users?|guests?|customers?|owners?|editors?|viewers?|members?|moderators?|agents?|sellers?|buyers?|authors?|reviewers?|operators?|staff|visitors?|employees?|supervisors?|approvers?|team leads?|shoppers?|account holders?|accountants?|auditors?|support agents?|clients?|vendors?|subscribers?|teachers?|students?|doctors?|patients?|developers?)\\b';
const ROLE_PHRASE = `((?:(?!only\\b|and\\b|or\\b|the\\b|can\\b|not\\b)[A-Za-z-]+\\s+){0,2}${ROLE_NOUN})`;

function cleanRole(raw: string): string {
  return raw.toLowerCase().replace(DETERMINERS, '').replace(/\s+/g, ' ').trim();
}

function cleanAction(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const action = raw
    .replace(/\s+(?:so that|in order to)\b.*$/i, '')
    .replace(/[.;:,]+$/, '')
    .trim();
  return action.length > 0 ? action : undefined;
}

function optionalAction(action: string | undefined): { action?: string } {
  return action ? { action } : {};
}

/** The part of a role constraint a pattern reads; the rest (kind, subject, source, context) is common. */
type RoleReading = Pick<RoleConstraint, 'role' | 'permission' | 'exclusive' | 'action' | 'phrase'>;

interface RoleRule {
  pattern: RegExp;
  read(match: RegExpExecArray, sentence: string): RoleReading[];
}

const ROLE_RULES: RoleRule[] = [
  {
    // "only managers and team leads can approve requests"
    pattern: new RegExp(
      `\\bonly\\s+(?:the\\s+|an?\\s+)?${ROLE_PHRASE}\\s+(?:(?:and|or)\\s+${ROLE_PHRASE}\\s+)?(?:can|may|are allowed to|is allowed to|are able to|is able to|have access to|has access to|have permission to|should be able to)\\s+([^.;]+)`,
      'gi',
    ),
    read: (match) =>
      [match[1], match[2]]
        .filter((role): role is string => Boolean(role))
        .map((role) => ({
          role: cleanRole(role),
          permission: 'allowed',
          exclusive: true,
          ...optionalAction(cleanAction(match[3])),
          phrase: match[0].trim(),
        })),
  },
  {
    // "the report is visible only to auditors", "accessible to admins only"
    pattern: new RegExp(
      `\\b(?:accessible|available|visible)\\s+(?:only\\s+)?to\\s+(?:the\\s+)?${ROLE_PHRASE}\\s+only\\b|\\b(?:accessible|available|visible)\\s+only\\s+to\\s+(?:the\\s+)?${ROLE_PHRASE}`,
      'gi',
    ),
    read: (match, sentence) => {
      const role = match[1] ?? match[2];
      if (!role) return [];
      const action = cleanNounPhrase(
        sentence.slice(0, match.index).replace(/\s+(?:is|are|must be|should be)\s*$/i, ''),
      );
      return [
        {
          role: cleanRole(role),
          permission: 'allowed',
          exclusive: true,
          ...optionalAction(action ? `access ${action}` : undefined),
          phrase: match[0].trim(),
        },
      ];
    },
  },
  {
    // "guests cannot check out"
    pattern: new RegExp(
      `(?:^|[,;:]\\s*|\\b(?:and|but|while|whereas)\\s+)(?:the\\s+|an?\\s+)?${ROLE_PHRASE}\\s+(?:cannot|can't|can not|may not|must not|are not allowed to|is not allowed to|are not able to|is not able to|should not be able to|must not be able to|do not have access to|does not have access to|are denied|is denied)\\s+([^.;,]+)`,
      'gi',
    ),
    read: (match) => [
      {
        role: cleanRole(match[1]!),
        permission: 'denied',
        exclusive: false,
        ...optionalAction(cleanAction(match[2])),
        phrase: match[0].replace(/^[,;:\s]+/, '').trim(),
      },
    ],
  },
  {
    // "As a registered user, I want to …"
    pattern: new RegExp(
      `\\bas\\s+(?:an?|the)\\s+${ROLE_PHRASE}\\s*,?\\s*(?:I\\s+(?:want|would like|need|can|should be able)\\s+(?:to\\s+)?([^.;]+))?`,
      'gi',
    ),
    read: (match) => [
      {
        role: cleanRole(match[1]!),
        permission: 'allowed',
        exclusive: false,
        ...optionalAction(cleanAction(match[2])),
        phrase: match[0].trim(),
      },
    ],
  },
];

/** The role constraints of one sentence, one per role, permission and exclusivity. */
// Every role rule needs one of these words: a sentence without them is skipped.
const MENTIONS_ROLE =
  /\bonly\b|accessible|available|visible|cannot|can't|\bnot\b|denied|\bas\s+(?:an?|the)\s/i;

export function roleConstraints(sentence: string, context: ConstraintContext): Constraint[] {
  if (!MENTIONS_ROLE.test(sentence)) return [];
  const found: Constraint[] = [];
  const seen = new Set<string>();
  for (const rule of ROLE_RULES) {
    for (const match of sentence.matchAll(rule.pattern)) {
      for (const reading of rule.read(match, sentence)) {
        const key = `${reading.role}|${reading.permission}|${reading.exclusive}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const { phrase, ...rule } = reading;
        found.push({ kind: 'role', ...rule, subject: 'role', source: sentence, phrase, ...context });
      }
    }
  }
  return found;
}
