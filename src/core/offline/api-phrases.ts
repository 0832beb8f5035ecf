import type { Story } from '../model.ts';
import type { Phrases, Wording } from './phrases.ts';

/** The request a REST API story is about: `POST /orders`. */
export interface ApiRequest {
  method: string;
  path: string;
  /** The success status the story states (`answers 201`), when it states one. */
  successStatus?: string;
}

const REQUEST = /\b(GET|POST|PUT|PATCH|DELETE)\s+(\/[\w\-/{}:.]*)/;
const SUCCESS_STATUS =
  /\b(?:answers?|answered|returns?|responds?|respond(?:s|ed)? with|with status)\s+(?:with\s+)?(2\d\d)\b/i;

/**
 * The request of a REST API story, read from its text: a method and a path (`POST /orders`).
 * Undefined for a story about a screen. Only the first request named is used: its cases are
 * requests to that endpoint, with the fields in the body.
 *
 * @example
 * apiRequestOf(story) // { method: 'POST', path: '/orders', successStatus: '201' }
 */
export function apiRequestOf(story: Story): ApiRequest | undefined {
  const texts = [
    story.summary,
    story.description,
    ...story.acceptanceCriteria.map((criterion) => criterion.text),
  ];
  for (const text of texts) {
    const match = REQUEST.exec(text);
    if (!match) continue;
    const successStatus = texts.map((candidate) => SUCCESS_STATUS.exec(candidate)?.[1]).find(Boolean);
    return { method: match[1]!, path: match[2]!, ...(successStatus ? { successStatus } : {}) };
  }
  return undefined;
}

/**
 * English phrases for an API story: a request is prepared and sent instead of a form opened and
 * submitted, fields are set in the JSON body, and results are statuses and response bodies.
 */
export function apiPhrases(base: Phrases, request: ApiRequest): Phrases {
  const call = `${request.method} ${request.path}`;
  const wording = (action: string, gherkin: string): Wording => ({ action, gherkin });
  const clientError = (detail: string) =>
    `The request is answered with a 4xx client error (400 or 422) whose body ${detail}, and nothing is created`;
  return {
    ...base,
    open: () =>
      wording(`Prepare a ${call} request with valid credentials`, `the client prepares a ${call} request`),
    select: (subject, value) =>
      wording(`Set "${subject}" to "${value}" in the JSON body`, `the body sets "${subject}" to "${value}"`),
    enter: (subject, value) =>
      wording(`Set "${subject}" to ${value} in the JSON body`, `the body sets "${subject}" to ${value}`),
    leaveEmpty: (subject) =>
      wording(`Leave "${subject}" out of the JSON body`, `the body leaves out "${subject}"`),
    submit: () => wording(`Send the ${call} request`, `the client sends the ${call} request`),
    formOf: () => call,
    messageShown: (message) => `The response body contains the error "${message}"`,
    accepted: (subject) => `The request is accepted; the response names no error for "${subject}"`,
    rejected: (subject, allowed) => clientError(`names "${subject}" and the allowed value (${allowed})`),
    notOffered: (value, subject) => clientError(`says "${value}" is not an allowed "${subject}"`),
    requiredMissing: (subject) => clientError(`names the missing "${subject}"`),
    invalidFormat: (subject, format) => clientError(`says "${subject}" is not a valid ${format}`),
    refused: () => 'The request is answered with 401 or 403, and nothing is changed',
    saved: () =>
      request.successStatus
        ? `The response status is ${request.successStatus} and the body holds the stored resource`
        : 'The response status is 2xx and the body holds the stored resource',
  };
}
