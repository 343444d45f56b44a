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
