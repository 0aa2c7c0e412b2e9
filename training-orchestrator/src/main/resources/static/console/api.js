// Every call to the REST API: the signed-in user's key as X-API-Key (docs/security.md, "The web console"), JSON in
// and out, and the API's problem+json turned into an ApiError carrying its detail.

const KEY = 'recap.console.apiKey';

export function apiKey() {
  return sessionStorage.getItem(KEY);
}

export function signOut() {
  sessionStorage.removeItem(KEY);
}

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/** Signs in with a key when the API accepts it for a read; throws ApiError otherwise and keeps nothing. */
export async function signIn(key) {
  await call('/corpora', {key});
  sessionStorage.setItem(KEY, key);
}

export function get(path) {
  return call(path);
}

export function post(path, body) {
  return call(path, {method: 'POST', body});
}

/** A file the API serves (an image) as a blob: URL, since an <img src> cannot carry the key header. */
export async function blobUrl(path) {
  const response = await fetch(path, {headers: {'X-API-Key': apiKey()}});
  if (!response.ok) throw new ApiError(response.status, {detail: `HTTP ${response.status}`});
  return URL.createObjectURL(await response.blob());
}

async function call(path, {method = 'GET', body, key = apiKey()} = {}) {
  const headers = {Accept: 'application/json'};
  if (key) headers['X-API-Key'] = key;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = {detail: text};
  }
  if (!response.ok) {
    const error = new ApiError(response.status, json || {});
    if (response.status === 401 && key === apiKey()) {
      signOut();
      window.dispatchEvent(new CustomEvent('recap:signed-out', {detail: error.message}));
    }
    throw error;
  }
  return json;
}

/**
 * A model version's ref as the API writes it in paths and parameters:
 * {kind: 'TEXT_TO_IMAGE', name, version} → text-to-image/name/version.
 */
export function modelPath(ref) {
  return `${ref.kind.toLowerCase().replace(/_/g, '-')}/${ref.name}/${ref.version}`;
}
