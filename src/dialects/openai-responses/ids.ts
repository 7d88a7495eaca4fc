import { randomUUID } from 'node:crypto';

/** A fresh id in OpenAI's style (`resp_…`, `msg_…`, `rs_…`, `fc_…`, `ctc_…`, `cmp_…`). */
export function newResponsesId(prefix: string): string {
  return prefix + randomUUID().replaceAll('-', '');
}

/** Keeps an id that already has the wanted prefix, else invents one (other dialects' ids do not fit). */
export function responsesIdWithPrefix(id: string | undefined, prefix: string): string {
  return id !== undefined && id.startsWith(prefix) ? id : newResponsesId(prefix);
}
