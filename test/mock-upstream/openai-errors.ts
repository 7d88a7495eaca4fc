import { mockId } from './ids.ts';
import { mockJsonAnswer } from './provider.ts';
import type { MockHttpAnswer, MockErrorSpec } from './types.ts';

interface OpenAiErrorFields {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

/** OpenAI's default error text, type and code per status. */
function defaults(status: number, model: string): OpenAiErrorFields {
  switch (status) {
    case 400:
      return { message: 'Invalid request.', type: 'invalid_request_error', param: null, code: null };
    case 401:
      return { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' };
    case 403:
      return { message: 'Project does not have access to this model.', type: 'invalid_request_error', param: null, code: null };
    case 404:
      return {
        message: `The model \`${model}\` does not exist or you do not have access to it.`,
        type: 'invalid_request_error',
        param: null,
        code: 'model_not_found',
      };
    case 429:
      return {
        message: `Rate limit reached for ${model} in organization org-mock on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s. Visit https://platform.openai.com/account/rate-limits to learn more.`,
        type: 'requests',
        param: null,
        code: 'rate_limit_exceeded',
      };
    case 503:
      return { message: 'The engine is currently overloaded, please try again later.', type: 'server_error', param: null, code: null };
    default:
      return {
        message: 'The server had an error while processing your request. Sorry about that!',
        type: 'server_error',
        param: null,
        code: null,
      };
  }
}

export function mockOpenAiErrorFields(error: MockErrorSpec, model: string): OpenAiErrorFields {
  const fields = defaults(error.status, model);
  if (error.message) fields.message = error.message;
  return fields;
}

/** OpenAI pretty-prints error bodies with four spaces. */
export function mockOpenAiErrorAnswer(status: number, fields: OpenAiErrorFields, headers: Record<string, string> = {}): MockHttpAnswer {
  return mockJsonAnswer(status, `${JSON.stringify({ error: fields }, null, 4)}\n`, { 'x-request-id': mockOpenAiRequestId(), ...headers });
}

export function renderMockOpenAiError(error: MockErrorSpec, model: string): MockHttpAnswer {
  const headers: Record<string, string> = {};
  if (error.retryAfter !== undefined) headers['retry-after'] = String(error.retryAfter);
  return mockOpenAiErrorAnswer(error.status, mockOpenAiErrorFields(error, model), headers);
}

export function renderMockOpenAiAuthError(key: string | undefined): MockHttpAnswer {
  if (key === undefined) {
    return mockOpenAiErrorAnswer(401, {
      message:
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
      type: 'invalid_request_error',
      param: null,
      code: null,
    });
  }
  const masked = key.length > 8 ? `${key.slice(0, 3)}${'*'.repeat(key.length - 7)}${key.slice(-4)}` : key;
  return mockOpenAiErrorAnswer(401, {
    message: `Incorrect API key provided: ${masked}. You can find your API key at https://platform.openai.com/account/api-keys.`,
    type: 'invalid_request_error',
    param: null,
    code: 'invalid_api_key',
  });
}

export function mockMissingParameter(param: string): MockHttpAnswer {
  return mockOpenAiErrorAnswer(400, {
    message: `Missing required parameter: '${param}'.`,
    type: 'invalid_request_error',
    param,
    code: 'missing_required_parameter',
  });
}

export function mockOpenAiRequestId(): string {
  return mockId('req_', 32);
}
