// The exception classes common Python packages raise, by the top-level module that holds them.
// The Python SDK reports a raised exception's failure type as its class name
// (`type(err).__name__`, TEMPORAL-FACTS.md section 3), so `non_retryable_error_types=
// ["RateLimitError"]` matches `anthropic.RateLimitError` raised inside an activity, although no
// code of the project raises it: the client call does.

const HTTP_STATUS_ERRORS = [
  'APIError', 'APIStatusError', 'APIConnectionError', 'APITimeoutError', 'APIResponseValidationError',
  'BadRequestError', 'AuthenticationError', 'PermissionDeniedError', 'NotFoundError', 'ConflictError',
  'UnprocessableEntityError', 'RateLimitError', 'InternalServerError',
];

const DBAPI_ERRORS = [
  'Error', 'Warning', 'InterfaceError', 'DatabaseError', 'DataError', 'OperationalError', 'IntegrityError',
  'InternalError', 'ProgrammingError', 'NotSupportedError',
];

const PSYCOPG_ERRORS = [
  ...DBAPI_ERRORS, 'UniqueViolation', 'ForeignKeyViolation', 'NotNullViolation', 'CheckViolation', 'DeadlockDetected',
  'SerializationFailure', 'UndefinedTable', 'UndefinedColumn', 'QueryCanceled', 'LockNotAvailable', 'ConnectionTimeout', 'PoolTimeout',
];

const BOTOCORE_ERRORS = [
  'BotoCoreError', 'ClientError', 'NoCredentialsError', 'PartialCredentialsError', 'EndpointConnectionError',
  'ConnectTimeoutError', 'ReadTimeoutError', 'ConnectionClosedError', 'ParamValidationError', 'NoRegionError', 'WaiterError',
];

/** Python's built-in exceptions: raised by the interpreter and every library, always in scope. */
const PYTHON_BUILT_IN_ERRORS = [
  'Exception', 'BaseException', 'ArithmeticError', 'AssertionError', 'AttributeError', 'BlockingIOError', 'BrokenPipeError',
  'BufferError', 'ChildProcessError', 'ConnectionAbortedError', 'ConnectionError', 'ConnectionRefusedError',
  'ConnectionResetError', 'EOFError', 'EnvironmentError', 'FileExistsError', 'FileNotFoundError', 'FloatingPointError',
  'ImportError', 'IndexError', 'InterruptedError', 'IOError', 'IsADirectoryError', 'KeyError', 'LookupError', 'MemoryError',
  'ModuleNotFoundError', 'NameError', 'NotADirectoryError', 'NotImplementedError', 'OSError', 'OverflowError',
  'PermissionError', 'ProcessLookupError', 'RecursionError', 'ReferenceError', 'RuntimeError', 'StopIteration',
  'StopAsyncIteration', 'SyntaxError', 'SystemError', 'TimeoutError', 'TypeError', 'UnboundLocalError',
  'UnicodeError', 'UnicodeDecodeError', 'UnicodeEncodeError', 'ValueError', 'ZeroDivisionError', 'ExceptionGroup',
];

/**
 * Exception class names by top-level module. Standard library modules are included for the
 * errors their calls raise without a `raise` in the project (subprocess.run(check=True) raises
 * CalledProcessError).
 */
const PYTHON_LIBRARY_ERRORS: Record<string, readonly string[]> = {
  anthropic: [
    'AnthropicError', ...HTTP_STATUS_ERRORS, 'RequestTooLargeError', 'ServiceUnavailableError', 'OverloadedError', 'DeadlineExceededError',
  ],
  openai: [
    'OpenAIError', ...HTTP_STATUS_ERRORS, 'LengthFinishReasonError', 'ContentFilterFinishReasonError', 'InvalidWebhookSignatureError',
  ],
  httpx: [
    'HTTPError', 'RequestError', 'TransportError', 'TimeoutException', 'ConnectTimeout', 'ReadTimeout', 'WriteTimeout',
    'PoolTimeout', 'NetworkError', 'ConnectError', 'ReadError', 'WriteError', 'CloseError', 'ProtocolError',
    'LocalProtocolError', 'RemoteProtocolError', 'ProxyError', 'UnsupportedProtocol', 'DecodingError', 'TooManyRedirects',
    'HTTPStatusError', 'InvalidURL', 'CookieConflict', 'StreamError', 'StreamConsumed', 'StreamClosed', 'ResponseNotRead', 'RequestNotRead',
  ],
  requests: [
    'RequestException', 'HTTPError', 'ConnectionError', 'ProxyError', 'SSLError', 'Timeout', 'ConnectTimeout', 'ReadTimeout',
    'URLRequired', 'TooManyRedirects', 'MissingSchema', 'InvalidSchema', 'InvalidURL', 'InvalidHeader', 'ChunkedEncodingError',
    'ContentDecodingError', 'StreamConsumedError', 'RetryError', 'JSONDecodeError',
  ],
  aiohttp: [
    'ClientError', 'ClientResponseError', 'ClientConnectionError', 'ClientConnectorError', 'ClientOSError',
    'ServerDisconnectedError', 'ServerTimeoutError', 'ServerConnectionError', 'ClientPayloadError', 'ContentTypeError',
    'ClientConnectorCertificateError', 'ClientConnectorSSLError', 'ClientSSLError', 'ClientHttpProxyError',
    'ServerFingerprintMismatch', 'InvalidURL', 'TooManyRedirects', 'ConnectionTimeoutError', 'SocketTimeoutError', 'WSServerHandshakeError',
  ],
  urllib3: ['HTTPError', 'MaxRetryError', 'NewConnectionError', 'ConnectTimeoutError', 'ReadTimeoutError', 'ProtocolError', 'SSLError', 'ProxyError'],
  botocore: BOTOCORE_ERRORS,
  boto3: BOTOCORE_ERRORS,
  aioboto3: BOTOCORE_ERRORS,
  aiobotocore: BOTOCORE_ERRORS,
  asyncpg: [
    'PostgresError', 'InterfaceError', 'DataError', 'UniqueViolationError', 'ForeignKeyViolationError', 'NotNullViolationError',
    'CheckViolationError', 'IntegrityConstraintViolationError', 'DeadlockDetectedError', 'SerializationError',
    'UndefinedTableError', 'UndefinedColumnError', 'InvalidPasswordError', 'ConnectionDoesNotExistError',
    'TooManyConnectionsError', 'QueryCanceledError', 'PostgresConnectionError', 'CannotConnectNowError',
    'InvalidTextRepresentationError', 'ConnectionFailureError',
  ],
  psycopg: PSYCOPG_ERRORS,
  psycopg2: PSYCOPG_ERRORS,
  sqlalchemy: [
    'SQLAlchemyError', 'DBAPIError', 'StatementError', ...DBAPI_ERRORS.filter((name) => name !== 'Error' && name !== 'Warning'),
    'NoResultFound', 'MultipleResultsFound', 'InvalidRequestError', 'TimeoutError', 'DisconnectionError',
    'PendingRollbackError', 'ArgumentError', 'NoSuchTableError', 'ResourceClosedError',
  ],
  pydantic: ['ValidationError', 'PydanticUserError'],
  // google.api_core.exceptions (the module head is `google`)
  google: [
    'GoogleAPIError', 'GoogleAPICallError', 'RetryError', 'ClientError', 'ServerError', 'BadRequest', 'Unauthorized',
    'Forbidden', 'NotFound', 'Conflict', 'AlreadyExists', 'PreconditionFailed', 'TooManyRequests', 'ResourceExhausted',
    'InternalServerError', 'ServiceUnavailable', 'DeadlineExceeded', 'InvalidArgument', 'FailedPrecondition',
    'PermissionDenied', 'Unauthenticated', 'Aborted', 'Cancelled', 'Unknown', 'MethodNotImplemented', 'BadGateway',
    'GatewayTimeout', 'OutOfRange', 'DataLoss',
  ],
  googleapiclient: ['HttpError', 'Error'],
  stripe: [
    'StripeError', 'CardError', 'InvalidRequestError', 'AuthenticationError', 'APIConnectionError', 'APIError',
    'RateLimitError', 'PermissionError', 'IdempotencyError', 'SignatureVerificationError',
  ],
  redis: [
    'RedisError', 'ConnectionError', 'TimeoutError', 'ResponseError', 'AuthenticationError', 'BusyLoadingError',
    'DataError', 'LockError', 'LockNotOwnedError', 'WatchError', 'ReadOnlyError',
  ],
  pymongo: [
    'PyMongoError', 'DuplicateKeyError', 'ConnectionFailure', 'ServerSelectionTimeoutError', 'OperationFailure',
    'NetworkTimeout', 'AutoReconnect', 'WriteError', 'BulkWriteError', 'ExecutionTimeout', 'WTimeoutError',
  ],
  grpc: ['RpcError', 'AioRpcError'],
  tenacity: ['RetryError'],
  // standard library
  subprocess: ['SubprocessError', 'CalledProcessError', 'TimeoutExpired'],
  sqlite3: DBAPI_ERRORS,
  json: ['JSONDecodeError'],
  asyncio: ['TimeoutError', 'CancelledError', 'InvalidStateError', 'IncompleteReadError', 'LimitOverrunError', 'QueueEmpty', 'QueueFull'],
  socket: ['timeout', 'gaierror', 'herror'],
  ssl: ['SSLError', 'SSLCertVerificationError', 'SSLZeroReturnError'],
  urllib: ['URLError', 'HTTPError', 'ContentTooShortError'],
  http: ['HTTPException', 'RemoteDisconnected', 'IncompleteRead'],
  smtplib: ['SMTPException', 'SMTPServerDisconnected', 'SMTPAuthenticationError', 'SMTPRecipientsRefused'],
  shutil: ['Error', 'SameFileError'],
  zipfile: ['BadZipFile', 'LargeZipFile'],
  concurrent: ['TimeoutError', 'CancelledError', 'BrokenExecutor'],
};

/** The module whose exception class a failure type can be, among those imported; undefined when none. */
export function pythonLibraryOfErrorType(type: string, imported: Iterable<string>): string | undefined {
  if (PYTHON_BUILT_IN_ERRORS.includes(type)) return 'builtins';
  for (const module of imported) if (PYTHON_LIBRARY_ERRORS[module]?.includes(type)) return module;
  return undefined;
}

/** True for a module whose exception classes this file lists. */
export function knowsLibraryErrors(module: string): boolean {
  return Object.hasOwn(PYTHON_LIBRARY_ERRORS, module);
}

/** The exception class names of the imported modules this file knows: candidates for a misspelt entry. */
export function pythonLibraryErrorTypes(imported: Iterable<string>): Set<string> {
  const names = new Set<string>(PYTHON_BUILT_IN_ERRORS);
  for (const module of imported) for (const name of PYTHON_LIBRARY_ERRORS[module] ?? []) names.add(name);
  return names;
}

// ---------------------------------------------------------------------------------------------
// TypeScript: the error classes common npm packages throw, by package name. The TypeScript SDK
// reports a thrown error's failure type as `error.constructor.name` (@temporalio/common
// ensureApplicationFailure), so `nonRetryableErrorTypes: ['AuthenticationError']` matches the
// Anthropic SDK's AuthenticationError thrown by a client call inside the activity. The names were
// read from the published packages (`class X` in their JavaScript: @anthropic-ai/sdk 1.17,
// openai 6.49, axios 1.21, got 14.6, ky 1.14, stripe 23.2, zod 4.6, @google/generative-ai 0.24).

/** The status error classes of the Stainless-generated SDKs (Anthropic, OpenAI, Groq and others). */
const STAINLESS_ERRORS = [
  'APIError', 'APIUserAbortError', 'APIConnectionError', 'APIConnectionTimeoutError', 'BadRequestError', 'AuthenticationError',
  'PermissionDeniedError', 'NotFoundError', 'ConflictError', 'UnprocessableEntityError', 'RateLimitError', 'InternalServerError',
];

const TYPESCRIPT_LIBRARY_ERRORS: Record<string, readonly string[]> = {
  '@anthropic-ai/sdk': ['AnthropicError', ...STAINLESS_ERRORS],
  openai: ['OpenAIError', ...STAINLESS_ERRORS, 'LengthFinishReasonError', 'ContentFilterFinishReasonError'],
  'groq-sdk': ['GroqError', ...STAINLESS_ERRORS],
  '@google/generative-ai': ['GoogleGenerativeAIError', 'GoogleGenerativeAIFetchError', 'GoogleGenerativeAIResponseError', 'GoogleGenerativeAIRequestInputError', 'GoogleGenerativeAIAbortError'],
  '@google/genai': ['ApiError'],
  axios: ['AxiosError', 'CanceledError'],
  '@prisma/client': ['PrismaClientKnownRequestError', 'PrismaClientUnknownRequestError', 'PrismaClientRustPanicError', 'PrismaClientInitializationError', 'PrismaClientValidationError'],
  zod: ['ZodError'],
  stripe: [
    'StripeError', 'StripeCardError', 'StripeInvalidRequestError', 'StripeAPIError', 'StripeAuthenticationError', 'StripePermissionError',
    'StripeRateLimitError', 'StripeConnectionError', 'StripeIdempotencyError', 'StripeSignatureVerificationError',
  ],
  pg: ['DatabaseError'],
  mongodb: ['MongoError', 'MongoServerError', 'MongoNetworkError', 'MongoNetworkTimeoutError', 'MongoServerSelectionError', 'MongoBulkWriteError', 'MongoWriteConcernError'],
  mongoose: ['MongooseError', 'ValidationError', 'CastError', 'DocumentNotFoundError', 'VersionError', 'ParallelSaveError'],
  sequelize: ['ValidationError', 'UniqueConstraintError', 'ForeignKeyConstraintError', 'DatabaseError', 'ConnectionError', 'TimeoutError', 'EmptyResultError'],
  typeorm: ['QueryFailedError', 'EntityNotFoundError', 'EntityPropertyNotFoundError'],
  gaxios: ['GaxiosError'],
  googleapis: ['GaxiosError'],
  '@octokit/rest': ['RequestError'],
  '@octokit/request-error': ['RequestError'],
  octokit: ['RequestError'],
  got: ['RequestError', 'HTTPError', 'TimeoutError', 'MaxRedirectsError', 'RetryError', 'CancelError', 'AbortError', 'ParseError', 'CacheError', 'ReadError', 'UploadError'],
  ky: ['HTTPError', 'TimeoutError'],
  'node-fetch': ['FetchError', 'AbortError'],
  twilio: ['RestException'],
  '@sendgrid/mail': ['ResponseError'],
  jsonwebtoken: ['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError'],
  ioredis: ['ReplyError'],
  '@slack/web-api': ['WebAPIPlatformError', 'WebAPIRequestError', 'WebAPIHTTPError', 'WebAPIRateLimitedError'],
};

/** The npm package (of those imported) whose error class a failure type can be; undefined when none. */
export function typescriptLibraryOfErrorType(type: string, imported: Iterable<string>): string | undefined {
  for (const name of imported) if (TYPESCRIPT_LIBRARY_ERRORS[name]?.includes(type)) return name;
  return undefined;
}

/** The error class names of the imported npm packages this file knows: candidates for a misspelt entry. */
export function typescriptLibraryErrorTypes(imported: Iterable<string>): Set<string> {
  const names = new Set<string>();
  for (const name of imported) for (const type of TYPESCRIPT_LIBRARY_ERRORS[name] ?? []) names.add(type);
  return names;
}

/** The npm package a bare module specifier names ('@scope/pkg/sub' gives '@scope/pkg'); undefined for a relative or absolute path. */
export function packageOfSpecifier(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('#') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? (parts.length >= 2 ? `${parts[0]}/${parts[1]}` : undefined) : parts[0];
}
