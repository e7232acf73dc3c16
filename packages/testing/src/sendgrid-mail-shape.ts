// The subset of SendGrid's v3 mail/send validation that matters to a sender: what makes the real
// API answer 400, reported the way it reports it (field paths such as `personalizations.0.to.0.email`).

/** One entry of a SendGrid error body: `{"errors": [{message, field, help}]}`. */
export interface SendGridErrorItem {
  message: string;
  field: string | null;
  help: string | null;
}

const MAX_PERSONALIZATIONS = 1000;
const MAX_RECIPIENTS = 1000;
// Deliberately loose: SendGrid accepts most syntactically plausible addresses and rejects the
// obviously broken ones; the point here is to catch a sender that forgot or mangled a field.
const EMAIL = /^[^\s@<>",]+@[^\s@<>",]+\.[^\s@<>",]+$/;

type Problems = SendGridErrorItem[];

function problem(problems: Problems, field: string | null, message: string): void {
  problems.push({ field, message, help: null });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function checkAddress(problems: Problems, value: unknown, field: string, required: boolean): void {
  if (value === undefined && !required) return;
  if (!isRecord(value)) {
    problem(problems, field, `The ${field} object must be provided with an email address.`);
    return;
  }
  if (!isNonEmptyString(value.email) || !EMAIL.test(value.email)) {
    problem(problems, `${field}.email`, 'Does not contain a valid address.');
  }
  if (value.name !== undefined && typeof value.name !== 'string') {
    problem(problems, `${field}.name`, 'The name must be a string.');
  }
}

function checkCustomArgs(problems: Problems, value: unknown, field: string): void {
  if (value === undefined) return;
  if (!isRecord(value)) {
    problem(problems, field, 'Custom args must be an object of string values.');
    return;
  }
  for (const [key, arg] of Object.entries(value)) {
    if (typeof arg !== 'string') {
      problem(problems, `${field}.${key}`, 'Custom args values must be strings.');
    }
  }
}

function checkPersonalizations(problems: Problems, value: unknown): boolean {
  if (!Array.isArray(value) || value.length === 0) {
    problem(problems, 'personalizations', 'The personalizations field is required.');
    return false;
  }
  if (value.length > MAX_PERSONALIZATIONS) {
    problem(problems, 'personalizations', 'At most 1000 personalizations are allowed.');
  }
  let everyHasSubject = true;
  value.forEach((entry: unknown, index) => {
    const field = `personalizations.${index}`;
    if (!isRecord(entry)) {
      problem(problems, field, 'Each personalization must be an object.');
      everyHasSubject = false;
      return;
    }
    if (!Array.isArray(entry.to) || entry.to.length === 0) {
      problem(problems, `${field}.to`, 'The to array is required for all personalization objects.');
    } else {
      if (entry.to.length > MAX_RECIPIENTS) {
        problem(problems, `${field}.to`, 'At most 1000 recipients are allowed.');
      }
      entry.to.forEach((to: unknown, toIndex) => {
        checkAddress(problems, to, `${field}.to.${toIndex}`, true);
      });
    }
    if (entry.subject !== undefined && typeof entry.subject !== 'string') {
      problem(problems, `${field}.subject`, 'The subject must be a string.');
    }
    if (!isNonEmptyString(entry.subject)) everyHasSubject = false;
    checkCustomArgs(problems, entry.custom_args, `${field}.custom_args`);
  });
  return everyHasSubject;
}

function checkContent(problems: Problems, value: unknown): void {
  if (!Array.isArray(value) || value.length === 0) {
    problem(problems, 'content', 'Unless a valid template_id is provided, content is required.');
    return;
  }
  const types: string[] = [];
  value.forEach((entry: unknown, index) => {
    const field = `content.${index}`;
    if (!isRecord(entry)) {
      problem(problems, field, 'Each content entry must be an object with type and value.');
      return;
    }
    if (!isNonEmptyString(entry.type) || /[;\r\n]/.test(entry.type)) {
      problem(problems, `${field}.type`, 'The content type must be a MIME type such as text/html.');
    } else {
      types.push(entry.type.toLowerCase());
    }
    if (!isNonEmptyString(entry.value)) {
      problem(
        problems,
        `${field}.value`,
        'The content value must be a string at least one character in length.',
      );
    }
  });
  const plain = types.indexOf('text/plain');
  const html = types.indexOf('text/html');
  if (plain > 0 || (plain !== -1 && html !== -1 && html < plain)) {
    problem(problems, 'content', 'If present, text/plain must be first, followed by text/html.');
  }
}

/** Everything the real API would reject in a mail/send body; empty when SendGrid would accept it. */
export function mailSendProblems(body: unknown): SendGridErrorItem[] {
  const problems: Problems = [];
  if (!isRecord(body)) {
    problem(problems, null, 'The request body must be a JSON object.');
    return problems;
  }
  const everyPersonalizationHasSubject = checkPersonalizations(problems, body.personalizations);
  checkAddress(problems, body.from, 'from', true);
  checkAddress(problems, body.reply_to, 'reply_to', false);
  const hasTemplate = isNonEmptyString(body.template_id);
  if (body.subject !== undefined && typeof body.subject !== 'string') {
    problem(problems, 'subject', 'The subject must be a string.');
  } else if (!isNonEmptyString(body.subject) && !everyPersonalizationHasSubject && !hasTemplate) {
    problem(
      problems,
      'subject',
      'The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.',
    );
  }
  if (!hasTemplate || body.content !== undefined) checkContent(problems, body.content);
  checkCustomArgs(problems, body.custom_args, 'custom_args');
  return problems;
}
