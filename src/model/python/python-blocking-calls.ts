// Calls of well-known blocking APIs that an `async def` activity makes on the worker's event loop:
// in its own body, in helpers of the project it calls directly (two levels deep: plain `def`
// functions, and `async def` ones it awaits right there), and in functions defined inside it that
// it calls; a helper may also be a method of a project object the review knows the class of
// (`store.save()` after `store = OrderStore()`). A function handed to `asyncio.to_thread`,
// `loop.run_in_executor` or `anyio.to_thread.run_sync` is passed, not called, so it is not followed;
// nor is a lambda or a decorated helper (`@sync_to_async` runs it on a thread).
//
// Only APIs named through an import of the installed library count (`import requests as r` does;
// a parameter or local variable called `requests`, or a project module of that name, does not).
// A sync client (requests, httpx, boto3, SMTP, and the sync clients of libraries that also ship an
// async one: pymongo, redis, qdrant, OpenAI, Anthropic, Elasticsearch, neo4j, SQLAlchemy, psycopg,
// supabase-py's create_client, cent's Client, caldav's DAVClient, the Yandex Cloud ML SDK's YCloudML)
// counts when the review can follow it to the library constructor that builds it, exactly: in the
// same function, a module-level variable every assignment of which builds the same kind of client,
// an attribute of a project class set the same way (`self.client = QdrantClient(...)` in
// `__init__`), or what a project function or method returns on every path (or on the paths a
// literal argument selects, in a factory keyed by a string). A value it cannot follow (a parameter,
// a variable assigned two different things) is left alone.
//
// The same knowledge answers, for workflow code, which calls are requests on a client object
// (clientIoCall): the sync clients' requests above, those of the async clients of the same libraries
// (AsyncMongoClient, motor, redis.asyncio, httpx.AsyncClient, aiohttp, AsyncOpenAI, SQLAlchemy's
// async engine and sessions), which never block a loop and so are never reported for activities, and
// a parameter annotated with a client type (`db: Database`).

import path from 'node:path';
import type { BlockingCall, SourceLocation } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonActivity } from './python-activities.js';
import { functionTarget } from './python-activities.js';
import type { PythonModules } from './python-modules.js';
import { callArguments, classMembers, decoratorsOf, descendantsInScope, enclosing, isAsyncFunction, locateNode, namedChildrenOf, stringLiteral, unparenthesize } from './python-syntax.js';

const HTTP_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'];

/** Module functions that block the calling thread until the network, a process or a timer answers. */
const BLOCKING_FUNCTIONS = new Set([
  'time.sleep',
  ...HTTP_VERBS.map((verb) => `requests.${verb}`),
  ...[...HTTP_VERBS, 'stream'].map((verb) => `httpx.${verb}`),
  'urllib.request.urlopen',
  'subprocess.run',
  'subprocess.call',
  'subprocess.check_call',
  'subprocess.check_output',
  'subprocess.getoutput',
  'subprocess.getstatusoutput',
  'os.system',
  'psycopg2.connect',
  'psycopg.connect',
  'psycopg.Connection.connect',
  'pymysql.connect',
  'socket.create_connection',
  'socket.getaddrinfo',
  'socket.gethostbyname',
  'socket.gethostbyname_ex',
  'socket.gethostbyaddr',
  // Reads the whole file and hashes it (Python 3.11+).
  'hashlib.file_digest',
]);

/** Constructors that connect when given a host. */
const CONNECTING_CONSTRUCTORS = new Set(['smtplib.SMTP', 'smtplib.SMTP_SSL', 'paramiko.Transport', 'paramiko.transport.Transport', 'ftplib.FTP', 'ftplib.FTP_TLS']);

type ClientKind =
  | 'requests'
  | 'httpx'
  | 'boto3'
  | 'smtp'
  | 'mongo'
  | 'qdrant'
  | 'redis'
  | 'openai'
  | 'anthropic'
  | 'elasticsearch'
  | 'neo4j'
  | 'neo4jSession'
  | 'sqlEngine'
  | 'sqlSessionFactory'
  | 'sqlSession'
  | 'psycopg'
  | 'langchainModel'
  | 'langchainChain'
  | 'supabase'
  | 'cent'
  | 'boto3Session'
  | 'boto3Resource'
  | 'boto3SubResource'
  | 'caldav'
  | 'caldavPrincipal'
  | 'caldavCalendars'
  | 'caldavCalendar'
  | 'yandexML'
  | 'yandexModel'
  | 'yandexOperation'
  | 'hash'
  | 'sklearnModel'
  // Async clients: no blocking call on an event loop (never reported for activities), but network
  // I/O all the same when workflow code makes it (clientIoCall).
  | 'asyncMongo'
  | 'asyncRedis'
  | 'asyncHttpx'
  | 'aiohttp'
  | 'asyncOpenai'
  | 'asyncAnthropic'
  | 'asyncQdrant'
  | 'asyncElasticsearch'
  | 'asyncSqlEngine'
  | 'asyncSqlSessionFactory'
  | 'asyncSqlSession';

/** Synchronous client constructors and the kind of client they make. */
const CLIENT_CONSTRUCTORS = new Map<string, ClientKind>([
  ['requests.Session', 'requests'],
  ['requests.session', 'requests'],
  ['requests.sessions.Session', 'requests'],
  ['httpx.Client', 'httpx'],
  ['boto3.client', 'boto3'],
  ['smtplib.SMTP', 'smtp'],
  ['smtplib.SMTP_SSL', 'smtp'],
  // Synchronous clients of libraries that also ship an async one (AsyncMongoClient, motor,
  // AsyncQdrantClient, redis.asyncio, AsyncOpenAI, AsyncAnthropic, AsyncElasticsearch,
  // AsyncGraphDatabase, create_async_engine, psycopg.AsyncConnection): those names differ, so
  // they never match here.
  ['pymongo.MongoClient', 'mongo'],
  ['pymongo.mongo_client.MongoClient', 'mongo'],
  ['qdrant_client.QdrantClient', 'qdrant'],
  ['qdrant_client.qdrant_client.QdrantClient', 'qdrant'],
  ['redis.Redis', 'redis'],
  ['redis.StrictRedis', 'redis'],
  ['redis.client.Redis', 'redis'],
  ['redis.client.StrictRedis', 'redis'],
  ['redis.from_url', 'redis'],
  ['redis.Redis.from_url', 'redis'],
  ['redis.StrictRedis.from_url', 'redis'],
  ['openai.OpenAI', 'openai'],
  ['openai.AzureOpenAI', 'openai'],
  ['anthropic.Anthropic', 'anthropic'],
  ['anthropic.AnthropicBedrock', 'anthropic'],
  ['anthropic.AnthropicVertex', 'anthropic'],
  ['elasticsearch.Elasticsearch', 'elasticsearch'],
  ['neo4j.GraphDatabase.driver', 'neo4j'],
  ['neo4j.GraphDatabase.bolt_driver', 'neo4j'],
  ['neo4j.GraphDatabase.neo4j_driver', 'neo4j'],
  ['sqlalchemy.create_engine', 'sqlEngine'],
  ['sqlalchemy.engine.create_engine', 'sqlEngine'],
  ['psycopg.connect', 'psycopg'],
  ['psycopg.Connection.connect', 'psycopg'],
  // supabase-py: create_client (and the Client / SyncClient class) is the sync client, whose query
  // builders send the request in execute(); acreate_client and AsyncClient are the async one.
  ['supabase.create_client', 'supabase'],
  ['supabase.client.create_client', 'supabase'],
  ['supabase.Client', 'supabase'],
  ['supabase.SyncClient', 'supabase'],
  ['supabase.client.Client', 'supabase'],
  // cent (Centrifugo's HTTP API): Client sends each command with a blocking HTTP request;
  // AsyncClient is the async one.
  ['cent.Client', 'cent'],
  // boto3: a Session hands out clients and resources (`session.client("s3")`); a resource's
  // sub-resources (`s3.Bucket(name)`, `dynamodb.Table(name)`) send their actions when called.
  ['boto3.Session', 'boto3Session'],
  ['boto3.session.Session', 'boto3Session'],
  ['boto3.resource', 'boto3Resource'],
  // caldav's DAVClient (and its principal and calendars) sends each request with a blocking HTTP
  // call; caldav.aio is the async one.
  ['caldav.DAVClient', 'caldav'],
  ['caldav.davclient.DAVClient', 'caldav'],
  ['caldav.get_davclient', 'caldav'],
  ['caldav.davclient.get_davclient', 'caldav'],
  // Yandex Cloud ML SDK: YCloudML is the synchronous SDK, whose model calls run the request on the
  // SDK's own loop in another thread and wait for it; AsyncYCloudML is the async one.
  ['yandex_cloud_ml_sdk.YCloudML', 'yandexML'],
  // A hash object: its `update` blocks only where it is fed a file in a loop (fileHashUpdate).
  ...['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'sha3_256', 'sha3_512', 'blake2b', 'blake2s', 'new'].map((name): [string, ClientKind] => [`hashlib.${name}`, 'hash']),
  // Async clients (blockingMethod is false for all of them).
  ['pymongo.AsyncMongoClient', 'asyncMongo'],
  ['pymongo.asynchronous.mongo_client.AsyncMongoClient', 'asyncMongo'],
  ['motor.motor_asyncio.AsyncIOMotorClient', 'asyncMongo'],
  ['motor.motor_tornado.MotorClient', 'asyncMongo'],
  ['redis.asyncio.Redis', 'asyncRedis'],
  ['redis.asyncio.StrictRedis', 'asyncRedis'],
  ['redis.asyncio.client.Redis', 'asyncRedis'],
  ['redis.asyncio.from_url', 'asyncRedis'],
  ['redis.asyncio.Redis.from_url', 'asyncRedis'],
  ['aioredis.Redis', 'asyncRedis'],
  ['aioredis.from_url', 'asyncRedis'],
  ['httpx.AsyncClient', 'asyncHttpx'],
  ['aiohttp.ClientSession', 'aiohttp'],
  ['openai.AsyncOpenAI', 'asyncOpenai'],
  ['openai.AsyncAzureOpenAI', 'asyncOpenai'],
  ['anthropic.AsyncAnthropic', 'asyncAnthropic'],
  ['qdrant_client.AsyncQdrantClient', 'asyncQdrant'],
  ['elasticsearch.AsyncElasticsearch', 'asyncElasticsearch'],
  ['sqlalchemy.ext.asyncio.create_async_engine', 'asyncSqlEngine'],
]);

/**
 * scikit-learn estimators whose training is heavy CPU work (ensembles, clustering, neural networks,
 * SVMs, manifold learning, Gaussian processes, and the hyper-parameter searches that fit a model
 * many times): `fit` holds the calling thread for as long as the training runs, seconds to
 * minutes. Preprocessing steps (`StandardScaler().fit`) and linear models are left alone.
 */
function sklearnModel(qualified: string): boolean {
  const match = /^sklearn\.(ensemble|cluster|neural_network|svm|manifold|gaussian_process|model_selection)\.([A-Z][A-Za-z0-9]*)$/.exec(qualified);
  if (!match) return false;
  return match[1] !== 'model_selection' || /^(GridSearchCV|RandomizedSearchCV|HalvingGridSearchCV|HalvingRandomSearchCV)$/.test(match[2]!);
}

/** The methods of such an estimator that train it. */
const SKLEARN_TRAINING = new Set(['fit', 'fit_predict', 'fit_transform']);

/** The kinds of async clients: awaited, their calls run on the caller's event loop. */
const ASYNC_KINDS = new Set<ClientKind>(['asyncMongo', 'asyncRedis', 'asyncHttpx', 'aiohttp', 'asyncOpenai', 'asyncAnthropic', 'asyncQdrant', 'asyncElasticsearch', 'asyncSqlEngine', 'asyncSqlSessionFactory', 'asyncSqlSession']);

/**
 * LangChain chat models: a class of a langchain provider package whose name says it is a chat
 * model (`langchain_openai.ChatOpenAI`, `langchain_google_vertexai.ChatVertexAI`,
 * `langchain_openai.AzureChatOpenAI`), or `init_chat_model`. Their sync Runnable methods
 * (`invoke`, `batch`, `stream`) send the request and wait for the answer on the calling thread;
 * `ainvoke`, `abatch` and `astream` are the async ones. langchain_core's own classes (prompt
 * templates, messages, fakes) are not models.
 */
function langchainModel(qualified: string): boolean {
  const parts = qualified.split('.');
  const top = parts[0] ?? '';
  if (!/^langchain(_[a-z0-9_]+)?$/.test(top) || top === 'langchain_core' || top === 'langchain_text_splitters') return false;
  const last = parts.at(-1) ?? '';
  if (last === 'init_chat_model') return true;
  return /^(Azure)?Chat[A-Z][A-Za-z0-9]*$/.test(last) && !/Prompt|Message|History|Template|Fake|Session|Result|Generation|Loader/.test(last);
}

/** Runnable methods that hand back another runnable over the same model. */
const LANGCHAIN_WRAPPERS = new Set(['with_structured_output', 'bind_tools', 'bind', 'with_retry', 'with_config', 'with_fallbacks', 'with_types', 'with_listeners', 'configurable_fields', 'configurable_alternatives']);
/** Runnable methods that call the model and wait on the calling thread. */
const LANGCHAIN_BLOCKING = new Set(['invoke', 'batch', 'batch_as_completed', 'stream', 'predict', 'predict_messages', 'generate', 'generate_prompt']);

/** SQLAlchemy session constructors: they make a sync session only when bound to a sync engine. */
const SQL_SESSION_CONSTRUCTORS = new Map<string, ClientKind>([
  ['sqlalchemy.orm.Session', 'sqlSession'],
  ['sqlalchemy.orm.session.Session', 'sqlSession'],
  ['sqlalchemy.orm.sessionmaker', 'sqlSessionFactory'],
  ['sqlalchemy.orm.session.sessionmaker', 'sqlSessionFactory'],
  ['sqlalchemy.ext.asyncio.AsyncSession', 'asyncSqlSession'],
  ['sqlalchemy.ext.asyncio.async_sessionmaker', 'asyncSqlSessionFactory'],
]);

const CLIENT_LABEL: Record<ClientKind, string> = {
  requests: 'requests.Session',
  httpx: 'httpx.Client',
  boto3: 'boto3 client',
  smtp: 'smtplib.SMTP',
  mongo: 'pymongo.MongoClient',
  qdrant: 'qdrant_client.QdrantClient',
  redis: 'redis.Redis',
  openai: 'openai.OpenAI',
  anthropic: 'anthropic.Anthropic',
  elasticsearch: 'elasticsearch.Elasticsearch',
  neo4j: 'neo4j driver',
  neo4jSession: 'neo4j session',
  sqlEngine: 'sqlalchemy engine',
  sqlSessionFactory: 'sqlalchemy sessionmaker',
  sqlSession: 'sqlalchemy Session',
  psycopg: 'psycopg connection',
  langchainModel: 'chat model',
  langchainChain: 'chain',
  supabase: 'supabase Client',
  cent: 'cent.Client',
  boto3Session: 'boto3 Session',
  boto3Resource: 'boto3 resource',
  boto3SubResource: 'boto3 resource',
  caldav: 'caldav.DAVClient',
  caldavPrincipal: 'caldav principal',
  caldavCalendars: 'caldav calendars',
  caldavCalendar: 'caldav calendar',
  yandexML: 'YCloudML',
  yandexModel: 'YCloudML model',
  yandexOperation: 'YCloudML operation',
  hash: 'hashlib hash',
  sklearnModel: 'scikit-learn model',
  asyncMongo: 'async MongoDB client',
  asyncRedis: 'redis.asyncio.Redis',
  asyncHttpx: 'httpx.AsyncClient',
  aiohttp: 'aiohttp.ClientSession',
  asyncOpenai: 'openai.AsyncOpenAI',
  asyncAnthropic: 'anthropic.AsyncAnthropic',
  asyncQdrant: 'qdrant_client.AsyncQdrantClient',
  asyncElasticsearch: 'elasticsearch.AsyncElasticsearch',
  asyncSqlEngine: 'sqlalchemy async engine',
  asyncSqlSessionFactory: 'sqlalchemy async_sessionmaker',
  asyncSqlSession: 'sqlalchemy AsyncSession',
};

/** The async client of the same library, named in the fix. */
const ASYNC_ALTERNATIVE: Partial<Record<ClientKind, string>> = {
  mongo: 'pymongo.AsyncMongoClient (or motor)',
  qdrant: 'qdrant_client.AsyncQdrantClient',
  redis: 'redis.asyncio.Redis',
  openai: 'openai.AsyncOpenAI',
  anthropic: 'anthropic.AsyncAnthropic',
  elasticsearch: 'elasticsearch.AsyncElasticsearch',
  neo4j: 'neo4j.AsyncGraphDatabase.driver',
  neo4jSession: 'neo4j.AsyncGraphDatabase.driver',
  sqlEngine: 'sqlalchemy.ext.asyncio.create_async_engine',
  sqlSession: 'sqlalchemy.ext.asyncio.AsyncSession',
  psycopg: 'psycopg.AsyncConnection',
  langchainModel: 'the runnable\'s ainvoke / abatch / astream',
  langchainChain: 'the runnable\'s ainvoke / abatch / astream',
  supabase: 'the AsyncClient of supabase.acreate_client',
  cent: 'cent.AsyncClient',
  caldav: 'caldav.aio',
  caldavPrincipal: 'caldav.aio',
  caldavCalendar: 'caldav.aio',
  yandexModel: 'yandex_cloud_ml_sdk.AsyncYCloudML',
  yandexOperation: 'yandex_cloud_ml_sdk.AsyncYCloudML',
};

/** boto3 client methods that do no network I/O. */
const BOTO3_LOCAL = new Set(['get_paginator', 'get_waiter', 'can_paginate', 'generate_presigned_url', 'generate_presigned_post', 'close']);

/** pymongo methods that talk to the server, on the client, a database or a collection (`find` is lazy). */
const MONGO_BLOCKING = new Set([
  'list_database_names', 'list_databases', 'server_info', 'drop_database',
  'command', 'list_collection_names', 'list_collections', 'create_collection', 'drop_collection', 'validate_collection',
  'insert_one', 'insert_many', 'find_one', 'update_one', 'update_many', 'replace_one', 'delete_one', 'delete_many',
  'aggregate', 'count_documents', 'estimated_document_count', 'distinct', 'find_one_and_update', 'find_one_and_replace',
  'find_one_and_delete', 'bulk_write', 'create_index', 'create_indexes', 'drop_index', 'drop_indexes', 'list_indexes',
  'index_information', 'rename', 'drop',
]);
/** pymongo methods that only hand back a database or collection object. */
const MONGO_ACCESSORS = new Set(['get_database', 'get_default_database', 'get_collection', 'with_options']);

/** QdrantClient methods that do no request (embedding model settings, close). */
const QDRANT_LOCAL = new Set(['close', 'set_model', 'set_sparse_model', 'get_fastembed_vector_params', 'get_fastembed_sparse_vector_params', 'get_embedding_size']);

/** redis.Redis methods that build an object without a round trip. */
const REDIS_LOCAL = new Set(['pipeline', 'pubsub', 'lock', 'close', 'register_script', 'get_encoder', 'get_connection_kwargs', 'get_retry', 'set_retry', 'set_response_callback', 'client']);

/** Request methods of the resources of the OpenAI and Anthropic sync clients (`client.chat.completions.create`). */
const SDK_REQUESTS = new Set([
  'create', 'parse', 'retrieve', 'list', 'delete', 'update', 'cancel', 'generate', 'edit', 'count_tokens', 'content',
  'upload', 'poll', 'create_and_poll', 'upload_and_poll', 'create_variation', 'submit_tool_outputs', 'create_and_run',
]);

/** Elasticsearch methods that do no request. */
const ELASTIC_LOCAL = new Set(['options', 'close']);

const NEO4J_BLOCKING = new Set(['execute_query', 'verify_connectivity', 'verify_authentication', 'get_server_info', 'supports_multi_db', 'supports_session_auth']);
const NEO4J_SESSION_BLOCKING = new Set(['run', 'execute_read', 'execute_write', 'read_transaction', 'write_transaction', 'begin_transaction']);

/** Engine methods that check a connection out of the pool (and connect when it has none). */
const SQL_ENGINE_BLOCKING = new Set(['connect', 'begin', 'execute', 'raw_connection']);
/** Session methods that run SQL (`add`, `query` and `delete` wait for a flush or a result). */
const SQL_SESSION_BLOCKING = new Set(['execute', 'commit', 'flush', 'get', 'scalar', 'scalars', 'refresh', 'connection']);

const PSYCOPG_BLOCKING = new Set(['execute', 'commit', 'rollback']);

/** supabase-py query builders: `client.table(...)`, `.from_(...)`, `.rpc(...)`, `.schema(...)` start one. */
const SUPABASE_QUERIES = new Set(['table', 'from_', 'rpc', 'schema']);

/** The first argument, as written when short, of the `.table("tasks")` call the chain starts with. */
function supabaseTarget(chain: PythonNode, start: string): string | undefined {
  for (let node: PythonNode | null = unparenthesize(chain); node; ) {
    if (node.type !== 'call') return undefined;
    const callee = node.childForFieldName('function');
    if (callee?.type !== 'attribute') return undefined;
    if (callee.childForFieldName('attribute')?.text === start) {
      const first = callArguments(node).positional[0];
      return first && first.text.length <= 30 ? first.text : undefined;
    }
    node = callee.childForFieldName('object');
    if (node) node = unparenthesize(node);
  }
  return undefined;
}

/** cent.Client methods that send a command to Centrifugo's HTTP API. */
const CENT_BLOCKING = new Set(['publish', 'broadcast', 'subscribe', 'unsubscribe', 'disconnect', 'refresh', 'presence', 'presence_stats', 'history', 'history_remove', 'channels', 'info', 'batch', 'send']);

/** Actions of a boto3 resource's service object that send a request (`s3.create_bucket`, `dynamodb.batch_write_item`). */
const BOTO3_SERVICE_ACTIONS = new Set(['create_bucket', 'create_table', 'batch_get_item', 'batch_write_item', 'create_queue', 'get_queue_by_name', 'create_topic']);
/** Actions of a boto3 sub-resource (`s3.Object(b, k).put()`, `dynamodb.Table(t).put_item()`) that send a request. */
const BOTO3_RESOURCE_ACTIONS = new Set([
  'get', 'put', 'delete', 'load', 'reload', 'copy', 'copy_from', 'upload_file', 'download_file', 'upload_fileobj', 'download_fileobj',
  'put_item', 'get_item', 'update_item', 'delete_item', 'query', 'scan', 'send_message', 'send_messages', 'receive_messages', 'publish',
  'delete_objects', 'put_object',
]);

/** caldav.DAVClient methods that send a request (`principal()` looks the user's principal up on the server). */
const CALDAV_CLIENT_BLOCKING = new Set([
  'principal', 'principals', 'search_principals', 'propfind', 'proppatch', 'report', 'mkcol', 'mkcalendar', 'put', 'post', 'delete',
  'request', 'options', 'check_dav_support', 'check_cdav_support', 'check_scheduling_support', 'get_calendars',
]);
/** Methods of a caldav principal that ask the server. */
const CALDAV_PRINCIPAL_BLOCKING = new Set([
  'calendars', 'get_calendars', 'make_calendar', 'calendar_user_address_set', 'get_vcal_address', 'schedule_inbox', 'schedule_outbox',
  'freebusy_request', 'get_properties', 'get_property', 'get_display_name',
]);
/** Methods of a caldav calendar that ask the server (searching, reading and saving its objects). */
const CALDAV_CALENDAR_BLOCKING = new Set([
  'date_search', 'search', 'events', 'todos', 'journals', 'objects', 'objects_by_sync_token', 'get_events', 'get_todos', 'get_journals',
  'save_event', 'save_todo', 'save_journal', 'save_object', 'add_event', 'add_todo', 'add_journal', 'event_by_uid', 'todo_by_uid',
  'journal_by_uid', 'object_by_uid', 'event_by_url', 'get_supported_components', 'freebusy_request', 'delete', 'save',
  'get_properties', 'get_property', 'set_properties', 'get_display_name',
]);

/** YCloudML model methods that call the service and wait (`run_deferred` starts an operation). */
const YANDEX_MODEL_BLOCKING = new Set(['run', 'run_deferred', 'tokenize', 'tune', 'tune_deferred']);
/** YCloudML `sdk.models.<domain>(name)`: the model objects. */
const YANDEX_MODEL_DOMAINS = new Set(['completions', 'image_generation', 'text_embeddings', 'text_classifiers']);
/** Methods of a YCloudML operation that ask the service; `wait` polls until the operation ends. */
const YANDEX_OPERATION_BLOCKING = new Set(['wait', 'get_status', 'get_result', 'cancel']);

function blockingMethod(kind: ClientKind, depth: number, method: string): boolean {
  if (method.startsWith('_')) return false;
  switch (kind) {
    case 'requests':
      return depth === 0 && (HTTP_VERBS.includes(method) || method === 'send');
    case 'httpx':
      return depth === 0 && (HTTP_VERBS.includes(method) || method === 'send' || method === 'stream');
    case 'boto3':
      return depth === 0 && !BOTO3_LOCAL.has(method);
    case 'smtp':
      return depth === 0 && ['connect', 'login', 'starttls', 'ehlo', 'helo', 'sendmail', 'send_message', 'quit'].includes(method);
    case 'mongo':
      return MONGO_BLOCKING.has(method);
    case 'qdrant':
      return depth === 0 && !QDRANT_LOCAL.has(method);
    case 'redis':
      return depth === 0 && !REDIS_LOCAL.has(method);
    case 'openai':
    case 'anthropic':
      return depth >= 1 && SDK_REQUESTS.has(method);
    case 'elasticsearch':
      return depth <= 1 && !ELASTIC_LOCAL.has(method);
    case 'neo4j':
      return depth === 0 && NEO4J_BLOCKING.has(method);
    case 'neo4jSession':
      return depth === 0 && NEO4J_SESSION_BLOCKING.has(method);
    case 'sqlEngine':
      return depth === 0 && SQL_ENGINE_BLOCKING.has(method);
    case 'sqlSession':
      return depth === 0 && SQL_SESSION_BLOCKING.has(method);
    case 'sqlSessionFactory':
      return false;
    case 'psycopg':
      return depth === 0 && PSYCOPG_BLOCKING.has(method);
    case 'langchainModel':
    case 'langchainChain':
      return LANGCHAIN_BLOCKING.has(method);
    case 'supabase':
      return depth >= 1 && method === 'execute';
    case 'cent':
      return depth === 0 && CENT_BLOCKING.has(method);
    case 'boto3Resource':
      return depth === 0 && BOTO3_SERVICE_ACTIONS.has(method);
    case 'boto3SubResource':
      return depth === 0 && BOTO3_RESOURCE_ACTIONS.has(method);
    case 'caldav':
      return depth === 0 && CALDAV_CLIENT_BLOCKING.has(method);
    case 'caldavPrincipal':
      return depth === 0 && CALDAV_PRINCIPAL_BLOCKING.has(method);
    case 'caldavCalendar':
      return depth === 0 && CALDAV_CALENDAR_BLOCKING.has(method);
    case 'yandexModel':
      return depth === 0 && YANDEX_MODEL_BLOCKING.has(method);
    case 'yandexOperation':
      return depth === 0 && YANDEX_OPERATION_BLOCKING.has(method);
    case 'sklearnModel':
      return depth === 0 && SKLEARN_TRAINING.has(method);
    case 'boto3Session':
    case 'caldavCalendars':
    case 'yandexML':
    case 'hash':
      return false;
    default:
      // Async clients: awaited, they do not block the loop.
      return false;
  }
}

/** Calls on a client that hand back another object of the same client, one segment further (`client.get_database("x")`). */
function accessor(kind: ClientKind, method: string): boolean {
  if (kind === 'mongo' || kind === 'asyncMongo') return MONGO_ACCESSORS.has(method);
  if (kind === 'openai' || kind === 'anthropic' || kind === 'asyncOpenai' || kind === 'asyncAnthropic') return method === 'with_options';
  if (kind === 'elasticsearch' || kind === 'asyncElasticsearch') return method === 'options';
  if (kind === 'langchainModel' || kind === 'langchainChain') return LANGCHAIN_WRAPPERS.has(method);
  return false;
}

/**
 * A supabase query under construction: a builder method after `client.table(...)` (or from_, rpc,
 * schema) hands back the builder; nothing is sent before execute().
 */
function supabaseBuilder(path: string[], method: string): boolean {
  if (path.length === 0) return SUPABASE_QUERIES.has(method);
  return SUPABASE_QUERIES.has(path[0]!.replace(/^\.|\(…\)$/g, '')) && path.every((segment) => segment.endsWith('(…)')) && method !== 'execute';
}

/** Calls on a client that hand back a client of another kind (`driver.session()`). */
function derived(kind: ClientKind, path: string[], method: string): ClientKind | undefined {
  const depth = path.length;
  if (kind === 'boto3Session' && depth === 0) return method === 'client' ? 'boto3' : method === 'resource' ? 'boto3Resource' : undefined;
  // `s3.Bucket(name)`, `s3.Object(bucket, key)`, `dynamodb.Table(name)`: a sub-resource, built locally.
  if (kind === 'boto3Resource' && depth === 0 && /^[A-Z][A-Za-z]*$/.test(method)) return 'boto3SubResource';
  if (kind === 'caldav' && depth === 0) return method === 'principal' ? 'caldavPrincipal' : method === 'calendar' ? 'caldavCalendar' : undefined;
  if (kind === 'caldavPrincipal' && depth === 0) return method === 'calendars' || method === 'get_calendars' ? 'caldavCalendars' : method === 'make_calendar' ? 'caldavCalendar' : undefined;
  if (kind === 'yandexML' && depth === 1 && path[0] === '.models' && YANDEX_MODEL_DOMAINS.has(method)) return 'yandexModel';
  if (kind === 'yandexModel' && depth === 0) return method === 'configure' ? 'yandexModel' : method === 'run_deferred' || method === 'tune_deferred' ? 'yandexOperation' : undefined;
  if (kind === 'neo4j' && depth === 0 && method === 'session') return 'neo4jSession';
  if (kind === 'sqlSessionFactory' && depth === 0 && method === 'begin') return 'sqlSession';
  if (kind === 'asyncSqlSessionFactory' && depth === 0 && method === 'begin') return 'asyncSqlSession';
  return undefined;
}

/**
 * What an expression is, as far as the review can be sure: a sync client (with the attribute and
 * subscript segments taken from it), or an instance of a class of the project.
 */
type Value =
  /**
   * `made`: the constructor as written, when the value is that call itself; `site`: the
   * constructor call the client comes from, when it is one of CLIENT_CONSTRUCTORS.
   */
  | { client: ClientKind; path: string[]; made: string | undefined; site?: { node: PythonNode; file: string; name: string }; label?: string }
  | { instance: true; node: PythonNode; file: string }
  | { class: true; node: PythonNode; file: string }
  /** A module of the project, imported whole (`from . import db`). */
  | { module: true; file: string };

interface Scope {
  /** The function whose names these are; undefined for a module's top level. */
  fn: PythonNode | undefined;
  file: string;
  modules: PythonModules;
  scopes: Map<string, Scope>;
  /** How many definitions (module assignments, class attributes, factories) were followed to get here. */
  depth: number;
  /** Every name the function binds, with the values bound (`null`: one the review does not follow). */
  bindings: Map<string, (PythonNode | null)[]>;
  /** Names already worked out (`null`: unknown). */
  values: Map<string, Value | null>;
}

const MAX_DEPTH = 4;

/** For every `async def` activity, the blocking calls it makes on the event loop, first one first. */
/**
 * The blocking calls a function makes, in its body and in the helpers it calls (as for an async
 * activity), whether it is `async def` or not: activity-failure-returned reads a sync client's
 * calls as work that fails in an outage, as an awaited call is.
 */
export function blockingCallsOf(fn: PythonNode, file: string, modules: PythonModules): BlockingCall[] {
  const found: BlockingCall[] = [];
  collect(fn, file, modules, new Map(), [], 0, new Set(), found, NEAR);
  return found;
}

/**
 * Every call the walk of blocking calls reaches from a function (its body and the helpers it
 * follows, as for blocking calls), with the helper calls that lead to it: for other facts read at
 * the same calls (python-untimed-calls.ts).
 */
export function walkReachedCalls(fn: PythonNode, file: string, modules: PythonModules, scopes: Map<string, unknown>, onCall: (call: PythonNode, file: string, via: SourceLocation[]) => void): void {
  collect(fn, file, modules, scopes as Map<string, Scope>, [], 0, new Set(), [], NEAR, [], onCall);
}

export function addBlockingCalls(activities: PythonActivity[], modules: PythonModules): void {
  const scopes = new Map<string, Scope>();
  for (const activity of activities) {
    if (!isAsyncFunction(activity.node)) continue;
    const found: BlockingCall[] = [];
    collect(activity.node, activity.file, modules, scopes, [], 0, new Set(), found, DEEP);
    if (found.length > 0) activity.blockingCalls = found;
  }
}

/** How far the helpers of a function are followed. */
interface Reach {
  /** Helpers followed one into the other (a method an object calls on itself does not count). */
  hops: number;
  /** Helper calls in a chain in all, counting the methods an object calls on itself. */
  via: number;
  /** Functions looked into in all, from one activity. */
  functions: number;
  /** Follow calls into project modules imported inside the calling function (`from x import run`), and `pkg.mod.f()`. */
  localImports: boolean;
}

/** activity-failure-returned's reach: two helpers. */
const NEAR: Reach = { hops: 2, via: 5, functions: Number.POSITIVE_INFINITY, localImports: false };
/**
 * An async activity's reach: four helpers deep (an activity that runs a project script's `run()`,
 * which calls a collector, which calls the helper that runs the process), into modules imported
 * inside a function as well, and no more than 80 functions in all.
 */
const DEEP: Reach = { hops: 4, via: 7, functions: 80, localImports: true };

/**
 * `hops` counts the helpers followed, up to reach.hops; a method the helper calls on its own object
 * (`self._send()`) is part of the same object and does not count, up to reach.via calls in all.
 * `onCall` sees every call the walk reaches (python-untimed-calls.ts reads other facts there).
 */
function collect(
  fn: PythonNode,
  file: string,
  modules: PythonModules,
  scopes: Map<string, Scope>,
  via: SourceLocation[],
  hops: number,
  seen: Set<number>,
  found: BlockingCall[],
  reach: Reach,
  names: string[] = [],
  onCall?: (call: PythonNode, file: string, via: SourceLocation[]) => void,
): void {
  if (seen.has(fn.id) || seen.size >= reach.functions) return;
  seen.add(fn.id);
  const body = fn.childForFieldName('body');
  if (!body) return;
  const scope = functionScope(fn, file, modules, scopes, 0);
  const nested = nestedFunctions(body);
  const helpers: { call: PythonNode; node: PythonNode; file: string; own?: boolean }[] = [];
  descendantsInScope(body, (node) => {
    // `with SFTPUploader() as sftp:` runs the project class's __enter__ right there.
    if (node.type === 'with_item' && hops < reach.hops && via.length < reach.via) {
      const value = node.childForFieldName('value');
      const made = value?.type === 'as_pattern' ? namedChildrenOf(value)[0] : value;
      const instance = made?.type === 'call' ? resolveCall(made, scope, false) : undefined;
      const enter = instance && 'instance' in instance ? classMembers(instance.node).find((m) => m.type === 'function_definition' && m.childForFieldName('name')?.text === '__enter__') : undefined;
      if (made && instance && 'instance' in instance && enter) helpers.push({ call: made, node: enter, file: instance.file });
      return;
    }
    if (node.type !== 'call') return;
    onCall?.(node, file, via);
    const blocking = blockingApi(node, scope);
    if (blocking) {
      found.push({ api: blocking.api, location: locateNode(file, node), via, ...(names.length > 0 ? { viaNames: names } : {}), ...(blocking.cpu ? { cpu: true as const } : {}), ...(blocking.alternative ? { asyncAlternative: blocking.alternative } : {}), ...(awaitedDirectly(node) ? { awaited: true } : {}) });
      return;
    }
    if (via.length >= reach.via) return;
    const callee = node.childForFieldName('function');
    if (!callee) return;
    const own = ownMethod(callee, fn, file);
    if (own) {
      if (followable(own.node, node)) helpers.push({ call: node, ...own, own: true });
      return;
    }
    if (hops >= reach.hops) return;
    const local = callee.type === 'identifier' ? nested.get(callee.text) : undefined;
    const target = local
      ? { file, node: local }
      : ((reach.localImports ? importedFunction(callee, fn, file, modules) : undefined) ?? functionTarget(callee, fn, file, modules) ?? methodTarget(callee, scope));
    if (target && followable(target.node, node)) helpers.push({ call: node, ...target });
  });
  for (const helper of helpers) {
    collect(helper.node, helper.file, modules, scopes, [...via, locateNode(file, helper.call)], helper.own ? hops : hops + 1, seen, found, reach, [...names, helperName(helper.call)], onCall);
  }
}

/** The helper a call names, as written (`whoop.collect`, `self._fetch`, `SFTPUploader`), shortened. */
function helperName(call: PythonNode): string {
  const callee = call.childForFieldName('function');
  const text = (callee ?? call).text.replace(/\s+/g, '');
  return text.length <= 40 ? text : `…${text.slice(-39)}`;
}

/**
 * A function of a project module the call names through an import, the function's own imports
 * first (`def ingest(): from scripts.daily import run; run()`), then the module's: `run()` after
 * `from scripts.daily import run`, `daily.run()` after `from scripts import daily`, and
 * `scripts.daily.run()` after `import scripts.daily`. A name the function binds itself, or one
 * an import binds to an installed package, is none.
 */
function importedFunction(callee: PythonNode, fn: PythonNode, file: string, modules: PythonModules): { file: string; node: PythonNode } | undefined {
  if (callee.type === 'identifier') {
    if (bindsLocally(fn, callee.text)) return undefined;
    const binding = modules.importBindingAt(file, callee.text, callee);
    if (!binding || binding.kind !== 'name' || !binding.file) return undefined;
    const definition = modules.lookupAt(file, callee.text, callee);
    return definition?.kind === 'function' ? { file: definition.file, node: definition.node } : undefined;
  }
  if (callee.type !== 'attribute') return undefined;
  const object = callee.childForFieldName('object');
  const attribute = callee.childForFieldName('attribute')?.text;
  if (!object || !attribute) return undefined;
  const module = importedModuleFile(object, fn, file, modules);
  if (!module) return undefined;
  const definition = modules.lookup(module, attribute);
  return definition?.kind === 'function' ? { file: definition.file, node: definition.node } : undefined;
}

/** The project module file an expression names through an import (`daily`, `scripts.daily`). */
function importedModuleFile(node: PythonNode, fn: PythonNode, file: string, modules: PythonModules): string | undefined {
  if (node.type === 'identifier') {
    if (bindsLocally(fn, node.text) || modules.lookup(file, node.text)) return undefined;
    const binding = modules.importBindingAt(file, node.text, node);
    return binding?.kind === 'module' ? binding.file : undefined;
  }
  if (node.type !== 'attribute') return undefined;
  const object = node.childForFieldName('object');
  const attribute = node.childForFieldName('attribute')?.text;
  const parent = object && attribute ? importedModuleFile(object, fn, file, modules) : undefined;
  // A submodule of a package: `scripts/daily.py` or `scripts/daily/__init__.py` next to `scripts/__init__.py`.
  if (!parent || path.basename(parent) !== '__init__.py') return undefined;
  const base = path.join(path.dirname(parent), attribute!);
  return [`${base}.py`, path.join(base, '__init__.py')].find((candidate) => modules.files.has(candidate));
}

/**
 * `self.helper(...)` inside a method of a project class (not a nested function), naming a method
 * that class defines itself: the object the chain already entered. A method it inherits, or one a
 * subclass may override with another body, is not looked for beyond the class's own members.
 */
function ownMethod(callee: PythonNode, fn: PythonNode, file: string): { file: string; node: PythonNode } | undefined {
  if (callee.type !== 'attribute') return undefined;
  const object = callee.childForFieldName('object');
  if (object?.type !== 'identifier' || object.text !== 'self') return undefined;
  const klass = classOf(fn);
  if (!klass || parameterNames(fn)[0] !== 'self' || parameterNames(fn).lastIndexOf('self') !== 0 || rebinds(fn, 'self')) return undefined;
  const name = callee.childForFieldName('attribute')?.text;
  const method = classMembers(klass).find((m) => m.type === 'function_definition' && m.childForFieldName('name')?.text === name);
  if (!method || decoratedWith(method, 'staticmethod') || decoratedWith(method, 'classmethod')) return undefined;
  return { file, node: method };
}

/** `await client.f(...)` (or `await (client.f(...))`): the call's own result is what is awaited. */
function awaitedDirectly(call: PythonNode): boolean {
  let node = call;
  while (node.parent?.type === 'parenthesized_expression') node = node.parent;
  return node.parent?.type === 'await';
}

/**
 * The method a call names on an object the review knows: `store.save()` where `store` is an
 * instance of a project class (`store = OrderStore()`), or `Store.helper()` for a classmethod or
 * staticmethod. A method the class inherits is not looked for.
 */
function methodTarget(callee: PythonNode, scope: Scope): { file: string; node: PythonNode } | undefined {
  if (callee.type !== 'attribute') return undefined;
  const object = callee.childForFieldName('object');
  const name = callee.childForFieldName('attribute')?.text;
  if (!object || !name) return undefined;
  const base = resolve(object, scope);
  if (!base || 'client' in base || 'module' in base) return undefined;
  const method = classMembers(base.node).find((m) => m.type === 'function_definition' && m.childForFieldName('name')?.text === name);
  if (!method) return undefined;
  if ('class' in base && !decoratedWith(method, 'classmethod') && !decoratedWith(method, 'staticmethod')) return undefined;
  return { file: base.file, node: method };
}

/**
 * A function with no decorator but @staticmethod or @classmethod that runs where it is called: a
 * plain `def`, or an `async def` awaited right there (it runs on the same loop).
 */
function followable(fn: PythonNode, call: PythonNode): boolean {
  if (isAsyncFunction(fn) && call.parent?.type !== 'await') return false;
  return decoratorsOf(fn).every((d) => d.expression.type === 'identifier' && (d.expression.text === 'staticmethod' || d.expression.text === 'classmethod'));
}

/** Functions defined in the body's own scope, by name; a name defined twice is left out. */
function nestedFunctions(body: PythonNode): Map<string, PythonNode> {
  const byName = new Map<string, PythonNode>();
  const twice = new Set<string>();
  descendantsInScope(body, (node) => {
    if (node.type !== 'function_definition') return;
    const name = node.childForFieldName('name')?.text;
    if (!name) return;
    if (byName.has(name)) twice.add(name);
    byName.set(name, node);
  });
  for (const name of twice) byName.delete(name);
  return byName;
}

/** The blocking API a call makes, as written with its import applied, or undefined. */
function blockingApi(call: PythonNode, scope: Scope): { api: string; alternative?: string; cpu?: true } | undefined {
  const callee = call.childForFieldName('function');
  if (!callee) return undefined;
  const qualified = libraryName(callee, scope.fn, scope.file, scope.modules);
  if (qualified && BLOCKING_FUNCTIONS.has(qualified)) {
    if (qualified === 'time.sleep' && sleepsZero(call)) return undefined;
    return qualified.startsWith('psycopg.') ? { api: qualified, alternative: ASYNC_ALTERNATIVE.psycopg } : { api: qualified };
  }
  if (qualified && CONNECTING_CONSTRUCTORS.has(qualified)) {
    const args = callArguments(call);
    return args.positional.length > 0 || args.keywords.has('host') ? { api: qualified } : undefined;
  }
  if (callee.type !== 'attribute') return undefined;
  const method = callee.childForFieldName('attribute')?.text;
  const object = callee.childForFieldName('object');
  if (!method || !object) return undefined;
  const receiver = resolve(object, scope);
  if (receiver && 'client' in receiver && receiver.client === 'hash' && method === 'update' && receiver.path.length === 0) {
    return fileHashUpdate(call, receiver, scope) ? { api: `${receiver.made ?? 'hashlib'} over a whole file` } : undefined;
  }
  if (!receiver || !('client' in receiver) || !blockingMethod(receiver.client, receiver.path.length, method)) return undefined;
  // A LangChain runnable: only through its wrappers (`llm.with_structured_output(...)`), not an attribute of it.
  if (receiver.client === 'langchainModel' || receiver.client === 'langchainChain') {
    if (!receiver.path.every((segment) => segment.endsWith('(…)'))) return undefined;
    // Named as written (`LangChain chain.invoke`), the constructor when the model is built right there.
    const written = unparenthesize(object).type === 'call' && receiver.made ? `${receiver.made}()` : object.text.replace(/\s+/g, '');
    return { api: `LangChain ${written.length <= 40 ? written : CLIENT_LABEL[receiver.client]}.${method}`, alternative: ASYNC_ALTERNATIVE[receiver.client] };
  }
  // A supabase query: the table (or function) it starts from, and execute().
  if (receiver.client === 'supabase') {
    const start = receiver.path[0]?.replace(/^\.|\(…\)$/g, '') ?? '';
    if (!SUPABASE_QUERIES.has(start) || !receiver.path.every((segment) => segment.endsWith('(…)'))) return undefined;
    const target = supabaseTarget(object, start);
    return { api: `${CLIENT_LABEL.supabase}.${start}(${target ?? '…'})${receiver.path.length > 1 ? '…' : ''}.${method}()`, alternative: ASYNC_ALTERNATIVE.supabase };
  }
  // `requests.Session().get(...)`, `boto3.client("s3").put_object(...)`: the constructor as written.
  const alternative = ASYNC_ALTERNATIVE[receiver.client];
  const api =
    unparenthesize(object).type === 'call' && receiver.path.length === 0 && receiver.made
      ? `${receiver.made}().${method}`
      : `${receiver.label ?? CLIENT_LABEL[receiver.client]}${receiver.path.join('')}.${method}`;
  if (receiver.client === 'sklearnModel') return { api, cpu: true };
  return alternative ? { api, alternative } : { api };
}

const READS = new Set(['read', 'readinto', 'readline', 'read1']);

/**
 * `h.update(chunk)` inside a loop that reads a file the function opens (`with open(path, "rb") as
 * f: for chunk in iter(lambda: f.read(8192), b""): h.update(chunk)`): the function reads and hashes
 * the whole file before it returns, however large it is, and reading in chunks says the author
 * expects large files. A hash of data already in memory is left alone.
 */
function fileHashUpdate(call: PythonNode, receiver: Value, scope: Scope): boolean {
  if (!('client' in receiver) || !scope.fn) return false;
  const body = scope.fn.childForFieldName('body');
  if (!body) return false;
  let loop: PythonNode | undefined;
  for (let current = call.parent; current && current.id !== body.id; current = current.parent) {
    if (current.type === 'for_statement' || current.type === 'while_statement') {
      loop = current;
      break;
    }
    if (current.type === 'function_definition' || current.type === 'lambda') return false;
  }
  if (!loop) return false;
  // The file: a name bound by `with open(...) as f` or `f = open(...)` in this function.
  const files = new Set<string>();
  descendantsInScope(body, (node) => {
    if (node.type !== 'call') return;
    const callee = node.childForFieldName('function');
    const opens = (callee?.type === 'identifier' && callee.text === 'open' && !bindsLocally(scope.fn!, 'open') && !scope.modules.lookup(scope.file, 'open') && !scope.modules.importBindingAt(scope.file, 'open', callee)) ||
      (callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'open' && callee.childForFieldName('object')?.type === 'call' && /^(Path|pathlib\.Path)$/.test(callee.childForFieldName('object')?.childForFieldName('function')?.text ?? ''));
    if (!opens) return;
    const parent = node.parent?.type === 'as_pattern' ? node.parent : undefined;
    const alias = parent?.childForFieldName('alias');
    const target = alias ? (namedChildrenOf(alias)[0] ?? alias) : node.parent?.type === 'assignment' ? node.parent.childForFieldName('left') : undefined;
    if (target?.type === 'identifier') files.add(target.text);
  });
  if (files.size === 0) return false;
  // The loop reads the file: `f.read(n)` in its header or body, or `for chunk in f`.
  let reads = false;
  const visit = (node: PythonNode): void => {
    if (reads) return;
    if (node.type === 'call') {
      const callee = node.childForFieldName('function');
      const object = callee?.type === 'attribute' ? callee.childForFieldName('object') : undefined;
      if (object?.type === 'identifier' && files.has(object.text) && READS.has(callee?.childForFieldName('attribute')?.text ?? '')) reads = true;
    }
    for (const child of namedChildrenOf(node)) visit(child);
  };
  visit(loop);
  const iterated = loop.type === 'for_statement' ? loop.childForFieldName('right') : undefined;
  if (iterated?.type === 'identifier' && files.has(iterated.text)) reads = true;
  return reads;
}

function sleepsZero(call: PythonNode): boolean {
  const first = callArguments(call).positional[0];
  return first !== undefined && (first.type === 'integer' || first.type === 'float') && Number(first.text) === 0;
}

/**
 * The names a function binds and the values it binds them to, in source order: `null` for a
 * binding whose value the review does not follow (a parameter, a loop or tuple target, `+=`,
 * a nested definition). A name's value is worked out when it is first read.
 */
function functionScope(fn: PythonNode, file: string, modules: PythonModules, scopes: Map<string, Scope>, depth: number): Scope {
  const key = `${file}:${fn.id}:${depth}`;
  const cached = scopes.get(key);
  if (cached) return cached;
  const bindings = new Map<string, (PythonNode | null)[]>();
  const add = (name: string, value: PythonNode | null) => bindings.set(name, [...(bindings.get(name) ?? []), value]);
  for (const name of parameterNames(fn)) add(name, null);
  const bind = (target: PythonNode | null | undefined, value: PythonNode | null | undefined) => {
    if (!target) return;
    if (target.type === 'identifier') add(target.text, value ?? null);
    else for (const name of boundNames(target)) add(name, null);
  };
  const body = fn.childForFieldName('body');
  if (body) {
    descendantsInScope(body, (node) => {
      if (node.type === 'assignment') bind(node.childForFieldName('left'), node.childForFieldName('right'));
      else if (node.type === 'augmented_assignment' || node.type === 'for_statement' || node.type === 'for_in_clause') {
        for (const name of boundNames(node.childForFieldName('left'))) add(name, null);
      } else if (node.type === 'named_expression') {
        const name = node.childForFieldName('name')?.text;
        if (name) add(name, null);
      } else if (node.type === 'with_item') {
        const value = node.childForFieldName('value');
        if (value?.type === 'as_pattern') {
          const alias = value.childForFieldName('alias');
          const target = alias ? (namedChildrenOf(alias)[0] ?? alias) : undefined;
          bind(target, namedChildrenOf(value)[0]);
        }
      } else if (node.type === 'as_pattern') {
        // `except E as error`
        const alias = node.childForFieldName('alias');
        if (node.parent?.type !== 'with_item') for (const name of boundNames(alias ? (namedChildrenOf(alias)[0] ?? alias) : undefined)) add(name, null);
      } else if (node.type === 'function_definition' || node.type === 'class_definition') {
        const name = node.childForFieldName('name')?.text;
        if (name) add(name, null);
      } else if (node.type === 'nonlocal_statement') {
        for (const name of namedChildrenOf(node)) if (name.type === 'identifier') add(name.text, null);
      }
    });
  }
  // A name the function declares `global` is the module's variable: its assignments here are
  // weighed with the module's own (moduleVariable).
  for (const name of globalNames(fn)) bindings.delete(name);
  const scope: Scope = { fn, file, modules, scopes, depth, bindings, values: new Map() };
  scopes.set(key, scope);
  return scope;
}

/** A module's own scope: its names are its module-level definitions, found through `modules`. */
function moduleScope(file: string, modules: PythonModules, scopes: Map<string, Scope>, depth: number): Scope {
  return { fn: undefined, file, modules, scopes, depth, bindings: new Map(), values: new Map() };
}

function valueKey(value: Value): string {
  if ('client' in value) return `client:${value.client}:${value.path.join('')}`;
  if ('module' in value) return `module:${value.file}`;
  return `${'instance' in value ? 'instance' : 'class'}:${value.file}:${value.node.id}`;
}

/** The one value all the expressions have, or undefined when one is unknown or two differ. */
function sameValue(values: (Value | undefined)[]): Value | undefined {
  const [first] = values;
  if (!first || values.some((value) => !value || valueKey(value) !== valueKey(first))) return undefined;
  return first;
}

function isNone(node: PythonNode): boolean {
  return unparenthesize(node).type === 'none';
}

/** What an expression is, as far as the review can be sure. */
function resolve(expression: PythonNode, scope: Scope): Value | undefined {
  const node = unparenthesize(expression);
  if (node.type === 'identifier') return resolveName(node, scope);
  if (node.type === 'attribute') {
    const object = node.childForFieldName('object');
    const attribute = node.childForFieldName('attribute')?.text;
    if (!object || !attribute) return undefined;
    const base = resolve(object, scope);
    if (!base) return undefined;
    if ('client' in base) return { ...base, path: [...base.path, `.${attribute}`], made: undefined };
    if ('module' in base) return moduleMember(base.file, attribute, scope);
    return classAttribute(base.node, base.file, attribute, scope);
  }
  if (node.type === 'subscript') {
    const object = node.childForFieldName('value');
    const base = object ? resolve(object, scope) : undefined;
    if (!base || !('client' in base)) return undefined;
    // `principal.calendars()[0]`: one calendar of the list.
    if (base.client === 'caldavCalendars' && base.path.length === 0) return { client: 'caldavCalendar', path: [], made: undefined };
    const index = node.childForFieldName('subscript');
    const written = index && index.text.length <= 24 ? index.text : '…';
    return { ...base, path: [...base.path, `[${written}]`], made: undefined };
  }
  if (node.type === 'call') return resolveCall(node, scope, false);
  if (node.type === 'binary_operator' && node.childForFieldName('operator')?.text === '|') {
    // `prompt | llm | parser`: a LangChain chain that calls the model when invoked.
    const sides = [node.childForFieldName('left'), node.childForFieldName('right')].map((side) => (side ? resolve(side, scope) : undefined));
    return sides.some((side) => side && 'client' in side && (side.client === 'langchainModel' || side.client === 'langchainChain') && side.path.every((segment) => segment.endsWith('(…)')))
      ? { client: 'langchainChain', path: [], made: undefined }
      : undefined;
  }
  if (node.type === 'await') {
    const inner = namedChildrenOf(node)[0];
    return inner && unparenthesize(inner).type === 'call' ? resolveCall(unparenthesize(inner), scope, true) : undefined;
  }
  return undefined;
}

/**
 * The one value every binding of a name gives. A rebinding through a call on the name itself
 * (`model = model.configure(temperature=0.5)`) counts when, given the other bindings' value, it
 * gives that same value back.
 */
function boundValue(name: string, bound: PythonNode[], scope: Scope): Value | undefined {
  const rebinds = (value: PythonNode) => {
    const node = unparenthesize(value);
    const object = node.type === 'call' ? node.childForFieldName('function')?.childForFieldName('object') : undefined;
    return node.childForFieldName('function')?.type === 'attribute' && object?.type === 'identifier' && object.text === name;
  };
  const updates = bound.filter(rebinds);
  const others = bound.filter((value) => !rebinds(value));
  if (others.length === 0) return undefined;
  const value = sameValue(others.map((b) => resolve(b, scope)));
  if (!value || updates.length === 0) return value;
  scope.values.set(name, value);
  const kept = updates.every((update) => {
    const next = resolve(update, scope);
    return next !== undefined && valueKey(next) === valueKey(value);
  });
  return kept ? value : undefined;
}

/** The enclosing class of a method, when the function is defined right in a class body. */
function classOf(fn: PythonNode): PythonNode | undefined {
  const parent = fn.parent?.type === 'decorated_definition' ? fn.parent.parent : fn.parent;
  return parent?.type === 'block' && parent.parent?.type === 'class_definition' ? parent.parent : undefined;
}

function decoratedWith(fn: PythonNode, name: string): boolean {
  return decoratorsOf(fn).some((d) => d.expression.type === 'identifier' && d.expression.text === name);
}

function resolveName(node: PythonNode, scope: Scope): Value | undefined {
  const name = node.text;
  const { fn } = scope;
  if (fn) {
    const bound = scope.bindings.get(name);
    if (bound) {
      // The first parameter of a method is the instance (or the class, for a classmethod).
      const klass = classOf(fn);
      if (klass && bound.length === 1 && parameterNames(fn)[0] === name && !decoratedWith(fn, 'staticmethod')) {
        return decoratedWith(fn, 'classmethod') ? { class: true, node: klass, file: scope.file } : { instance: true, node: klass, file: scope.file };
      }
      if (scope.values.has(name)) return scope.values.get(name) ?? undefined;
      // A parameter bound nowhere else and annotated with a class of the project
      // (`s3_client: S3Client`): an instance of that class, for finding the methods it calls.
      if (bound.length === 1 && bound[0] === null && scope.depth < MAX_DEPTH) {
        const annotation = parameterAnnotation(fn, name);
        if (annotation && (annotation.type === 'identifier' || annotation.type === 'attribute')) {
          const klass = resolve(annotation, { ...scope, depth: scope.depth + 1 });
          if (klass && 'class' in klass) return { instance: true, node: klass.node, file: klass.file };
          // `db: Database`: for clientIoCall only.
          const typed = ANNOTATED_SCOPES.has(scope.scopes) ? ANNOTATION_TYPES.get(libraryName(annotation, fn, scope.file, scope.modules) ?? '') : undefined;
          if (typed) return { client: typed, path: [], made: undefined, label: annotation.text };
        }
      }
      scope.values.set(name, null);
      const value = bound.some((b) => b === null) ? undefined : boundValue(name, bound as PythonNode[], scope);
      scope.values.set(name, value ?? null);
      return value;
    }
    for (let outer = enclosing(fn, ['function_definition']); outer; outer = enclosing(outer, ['function_definition'])) {
      if (bindsLocally(outer, name)) return undefined;
    }
  }
  if (scope.depth >= MAX_DEPTH) return undefined;
  const binding = scope.modules.importBindingAt(scope.file, name, node);
  if (binding?.kind === 'module' && binding.file && !scope.modules.lookup(scope.file, name)) return { module: true, file: binding.file };
  const definition = scope.modules.lookupAt(scope.file, name, node);
  if (!definition) return undefined;
  if (definition.kind === 'class') return { class: true, node: definition.node, file: definition.file };
  if (definition.kind !== 'assignment') return undefined;
  return moduleVariable(definition.file, definition.name, scope);
}

/** What a name defined at the top level of a project module is: a class, or a module variable. */
function moduleMember(file: string, name: string, scope: Scope): Value | undefined {
  if (scope.depth >= MAX_DEPTH) return undefined;
  const definition = scope.modules.lookup(file, name);
  if (!definition) return undefined;
  if (definition.kind === 'class') return { class: true, node: definition.node, file: definition.file };
  return definition.kind === 'assignment' ? moduleVariable(definition.file, definition.name, scope) : undefined;
}

/** The names a function declares `global`. */
function globalNames(fn: PythonNode): string[] {
  const names: string[] = [];
  const body = fn.childForFieldName('body');
  if (body) {
    descendantsInScope(body, (node) => {
      if (node.type === 'global_statement') for (const name of namedChildrenOf(node)) if (name.type === 'identifier') names.push(name.text);
    });
  }
  return names;
}

/**
 * What a module variable holds: its top-level assignments and those in the module's functions that
 * declare it `global` must all give the same value (`None` aside: `_client = None` filled in
 * lazily by `get_client()`).
 */
function moduleVariable(file: string, name: string, scope: Scope): Value | undefined {
  const root = scope.modules.files.get(file)?.tree.rootNode;
  if (!root) return undefined;
  const values: (Value | undefined)[] = [];
  const visit = (node: PythonNode) => {
    for (const child of namedChildrenOf(node)) {
      if (child.type === 'assignment' || child.type === 'augmented_assignment') {
        const left = child.childForFieldName('left');
        if (boundNames(left).includes(name)) {
          const fn = enclosing(child, ['function_definition', 'class_definition', 'lambda']);
          const right = child.childForFieldName('right');
          if (child.type === 'assignment' && !right) {
            // `client: MongoClient` alone only declares the type.
          } else if (!fn) {
            if (child.type === 'augmented_assignment' || left?.type !== 'identifier' || !right) values.push(undefined);
            else if (!isNone(right)) values.push(resolve(right, moduleScope(file, scope.modules, scope.scopes, scope.depth + 1)));
          } else if (fn.type === 'function_definition' && globalNames(fn).includes(name)) {
            if (child.type === 'augmented_assignment' || left?.type !== 'identifier' || !right) values.push(undefined);
            else if (!isNone(right)) values.push(resolve(right, functionScope(fn, file, scope.modules, scope.scopes, scope.depth + 1)));
          }
        }
      } else if (child.type === 'for_statement' || child.type === 'with_item' || child.type === 'named_expression') {
        // A loop, `with` or walrus target at module level (or declared global) is not followed.
        const fn = enclosing(child, ['function_definition', 'class_definition', 'lambda']);
        const target = child.type === 'for_statement' ? child.childForFieldName('left') : child.type === 'named_expression' ? child.childForFieldName('name') : child.childForFieldName('value')?.childForFieldName('alias');
        if ((!fn || (fn.type === 'function_definition' && globalNames(fn).includes(name))) && target && target.text.split(/[^A-Za-z0-9_]+/).includes(name)) values.push(undefined);
      }
      visit(child);
    }
  };
  visit(root);
  return values.length > 0 ? sameValue(values) : undefined;
}

/**
 * What an attribute of a project class (or of its instances) holds: every assignment to it in the
 * class body, and to `self.<name>`, `cls.<name>` or `<Class>.<name>` in its methods, must give
 * the same value (`None` aside). A method of that name, or a value the review cannot follow,
 * gives nothing.
 */
function classAttribute(klass: PythonNode, file: string, attribute: string, scope: Scope): Value | undefined {
  if (scope.depth >= MAX_DEPTH) return undefined;
  const className = klass.childForFieldName('name')?.text;
  const values: (Value | undefined)[] = [];
  const classScope = moduleScope(file, scope.modules, scope.scopes, scope.depth + 1);
  for (const member of classMembers(klass)) {
    if (member.type === 'function_definition') {
      if (member.childForFieldName('name')?.text === attribute) {
        // A property gives what its getter returns (not one with a setter: others may set it).
        if (classMembers(klass).filter((m) => m.type === 'function_definition' && m.childForFieldName('name')?.text === attribute).length > 1) return undefined;
        const property = decoratorsOf(member).some((d) => ['property', 'cached_property', 'functools.cached_property'].includes(d.expression.text));
        return property ? returned(member, file, scope, false) : undefined;
      }
      const first = parameterNames(member)[0];
      const owners = new Set(['cls', ...(className ? [className] : []), ...(first ? [first] : [])]);
      const body = member.childForFieldName('body');
      if (!body) continue;
      let methodScope: Scope | undefined;
      descendantsInScope(body, (node) => {
        if (node.type !== 'assignment' && node.type !== 'augmented_assignment') return;
        for (const target of assignedAttributes(node.childForFieldName('left'))) {
          const object = target.childForFieldName('object');
          if (target.childForFieldName('attribute')?.text !== attribute || object?.type !== 'identifier' || !owners.has(object.text)) continue;
          const right = node.childForFieldName('right');
          // `self.client: QdrantClient` alone only declares the type.
          if (node.type === 'assignment' && !right) continue;
          if (node.type === 'augmented_assignment' || !right || node.childForFieldName('left')?.id !== target.id) {
            values.push(undefined);
            continue;
          }
          if (isNone(right)) continue;
          methodScope ??= functionScope(member, file, scope.modules, scope.scopes, scope.depth + 1);
          values.push(resolve(right, methodScope));
        }
      });
    } else if (member.type === 'expression_statement') {
      const assignment = namedChildrenOf(member)[0];
      if (assignment?.type !== 'assignment' || !boundNames(assignment.childForFieldName('left')).includes(attribute)) continue;
      const right = assignment.childForFieldName('right');
      // `client: QdrantClient` alone only declares the type; `_instance = None` is a placeholder.
      if (!right || isNone(right)) continue;
      values.push(right && assignment.childForFieldName('left')?.type === 'identifier' ? resolve(right, classScope) : undefined);
    }
  }
  return values.length > 0 ? sameValue(values) : undefined;
}

/** The attribute targets (`self.x`) among an assignment's targets. */
function assignedAttributes(target: PythonNode | null | undefined): PythonNode[] {
  if (!target) return [];
  if (target.type === 'attribute') return [target];
  if (['pattern_list', 'tuple_pattern', 'list_pattern', 'expression_list', 'tuple', 'list', 'parenthesized_expression'].includes(target.type)) {
    return namedChildrenOf(target).flatMap(assignedAttributes);
  }
  return [];
}

/**
 * What a call gives: a sync client from a known constructor, a client's accessor or session, an
 * instance of a project class, or what a project function (or method) returns on every path.
 */
function resolveCall(call: PythonNode, scope: Scope, awaited: boolean): Value | undefined {
  const callee = call.childForFieldName('function');
  if (!callee) return undefined;
  const qualified = libraryName(callee, scope.fn, scope.file, scope.modules);
  if (qualified) {
    if (awaited) return undefined;
    if (langchainModel(qualified)) return { client: 'langchainModel', path: [], made: qualified };
    if (sklearnModel(qualified)) return { client: 'sklearnModel', path: [], made: qualified, label: qualified };
    const kind = CLIENT_CONSTRUCTORS.get(qualified);
    if (kind) return kind === 'qdrant' && inMemory(call) ? undefined : { client: kind, path: [], made: qualified, site: { node: call, file: scope.file, name: qualified } };
    const session = SQL_SESSION_CONSTRUCTORS.get(qualified);
    if (session) {
      const args = callArguments(call);
      const bind = args.keywords.get('bind') ?? args.positional[0];
      const engine = bind ? resolve(bind, scope) : undefined;
      if (!engine || !('client' in engine) || engine.path.length > 0) return undefined;
      // A session over an async engine is an async session, whichever constructor makes it.
      if (engine.client === 'asyncSqlEngine') return { client: session === 'sqlSessionFactory' || session === 'asyncSqlSessionFactory' ? 'asyncSqlSessionFactory' : 'asyncSqlSession', path: [], made: undefined };
      return engine.client === 'sqlEngine' && !ASYNC_KINDS.has(session) ? { client: session, path: [], made: undefined } : undefined;
    }
    return undefined;
  }
  if (callee.type === 'attribute') {
    const method = callee.childForFieldName('attribute')?.text;
    const object = callee.childForFieldName('object');
    if (!method || !object) return undefined;
    if (method === 'client' && object.type === 'call') {
      const session = object.childForFieldName('function');
      const name = session ? libraryName(session, scope.fn, scope.file, scope.modules) : undefined;
      if (name === 'boto3.Session' || name === 'boto3.session.Session') return awaited ? undefined : { client: 'boto3', path: [], made: 'boto3.Session().client' };
    }
    const base = resolve(object, scope);
    if (!base) return undefined;
    if ('module' in base) {
      const definition = scope.modules.lookup(base.file, method);
      if (definition?.kind === 'class') return awaited ? undefined : { instance: true, node: definition.node, file: definition.file };
      return definition?.kind === 'function' ? returned(definition.node, definition.file, scope, awaited, { call, skipFirst: false }) : undefined;
    }
    if ('client' in base) {
      if (awaited) return undefined;
      if (accessor(base.client, method) || (base.client === 'supabase' && supabaseBuilder(base.path, method))) return { ...base, path: [...base.path, `.${method}(…)`], made: undefined };
      const other = derived(base.client, base.path, method);
      return other ? { client: other, path: [], made: undefined } : undefined;
    }
    const target = classMembers(base.node).find((m) => m.type === 'function_definition' && m.childForFieldName('name')?.text === method);
    if (!target) return undefined;
    // A method called on an instance, or a classmethod / staticmethod called on the class.
    if ('class' in base && !decoratedWith(target, 'classmethod') && !decoratedWith(target, 'staticmethod')) return undefined;
    return returned(target, base.file, scope, awaited, { call, skipFirst: !decoratedWith(target, 'staticmethod') });
  }
  if (callee.type !== 'identifier') return undefined;
  const called = resolve(callee, scope);
  if (called && 'client' in called) {
    if (awaited || called.path.length > 0) return undefined;
    if (called.client === 'sqlSessionFactory') return { client: 'sqlSession', path: [], made: undefined };
    return called.client === 'asyncSqlSessionFactory' ? { client: 'asyncSqlSession', path: [], made: undefined } : undefined;
  }
  if (called && 'class' in called) return awaited ? undefined : { instance: true, node: called.node, file: called.file };
  if (called || scope.bindings.has(callee.text)) return undefined;
  const definition = scope.modules.lookupAt(scope.file, callee.text, callee);
  return definition?.kind === 'function' ? returned(definition.node, definition.file, scope, awaited, { call, skipFirst: false }) : undefined;
}

const RETURN_KEEPING_DECORATORS = new Set([
  'staticmethod', 'classmethod', 'property', 'cached_property', 'functools.cached_property',
  'cache', 'functools.cache', 'lru_cache', 'functools.lru_cache',
]);

/**
 * What a project function returns on every path, when it is the same value (one factory deep).
 * Given the call, a factory keyed by a literal (`create("art")` where `create` returns one class
 * under `if kind == "art":` and another under `elif kind == "text":`) gives what the branches that
 * literal can reach return.
 */
function returned(fn: PythonNode, file: string, scope: Scope, awaited: boolean, site?: { call: PythonNode; skipFirst: boolean }): Value | undefined {
  if (scope.depth >= MAX_DEPTH || isAsyncFunction(fn) !== awaited) return undefined;
  // A decorator may hand back something else than the function returns; caching ones do not.
  if (!decoratorsOf(fn).every((d) => RETURN_KEEPING_DECORATORS.has(d.expression.text))) return undefined;
  const body = fn.childForFieldName('body');
  if (!body) return undefined;
  const returns: PythonNode[] = [];
  let unknown = false;
  descendantsInScope(body, (node) => {
    if (node.type === 'return_statement') {
      if (namedChildrenOf(node)[0]) returns.push(node);
      else unknown = true;
    } else if (node.type === 'yield') unknown = true;
  });
  if (unknown || returns.length === 0) return undefined;
  // A function that can fall off its end returns None.
  if (!endsEveryPath(body)) return undefined;
  const inner = functionScope(fn, file, scope.modules, scope.scopes, scope.depth + 1);
  const valueOf = (statement: PythonNode) => resolve(namedChildrenOf(statement)[0]!, inner);
  let value = sameValue(returns.map(valueOf));
  if (!value && site && returns.length > 1) {
    const literals = literalArguments(fn, site.call, site.skipFirst, inner);
    const reachable = literals.size > 0 ? returns.filter((statement) => reachableWith(statement, body, literals)) : returns;
    if (reachable.length > 0 && reachable.length < returns.length) value = sameValue(reachable.map(valueOf));
  }
  // The call that gives it is the project function's, not the library constructor.
  return value && 'client' in value ? { ...value, made: undefined } : value;
}

/** True when every path through the statements ends in a return or a raise (an `if` with an `else`, all of whose branches do). */
function endsEveryPath(block: PythonNode): boolean {
  const last = namedChildrenOf(block).filter((statement) => statement.type !== 'comment').at(-1);
  if (!last) return false;
  if (last.type === 'return_statement' || last.type === 'raise_statement') return true;
  if (last.type !== 'if_statement') return false;
  const consequence = last.childForFieldName('consequence');
  if (!consequence || !endsEveryPath(consequence)) return false;
  const alternatives = last.childrenForFieldName('alternative').filter((node): node is PythonNode => node !== null);
  if (!alternatives.some((node) => node.type === 'else_clause')) return false;
  return alternatives.every((clause) => {
    const block = clause.childForFieldName(clause.type === 'else_clause' ? 'body' : 'consequence');
    return block !== null && endsEveryPath(block);
  });
}

/**
 * The string literals a call passes for the function's parameters (by position, by keyword, or a
 * literal default), for the parameters the function never rebinds.
 */
function literalArguments(fn: PythonNode, call: PythonNode, skipFirst: boolean, inner: Scope): Map<string, string> {
  const literals = new Map<string, string>();
  const parameters = fn.childForFieldName('parameters');
  if (!parameters) return literals;
  const args = callArguments(call);
  // `create(*args)` or `create(**options)` may pass any parameter: none is known.
  if (args.starred || args.spreads.length > 0) return literals;
  let index = 0;
  for (const [position, parameter] of namedChildrenOf(parameters).entries()) {
    if (skipFirst && position === 0) continue;
    if (parameter.type === 'list_splat_pattern' || parameter.type === 'dictionary_splat_pattern' || parameter.type === 'keyword_separator' || parameter.type === 'positional_separator') break;
    const name = parameter.type === 'identifier' ? parameter : (parameter.childForFieldName('name') ?? namedChildrenOf(parameter).find((c) => c.type === 'identifier'));
    if (!name) break;
    const given = args.positional[index] ?? args.keywords.get(name.text);
    index++;
    const fallback = parameter.type === 'default_parameter' || parameter.type === 'typed_default_parameter' ? parameter.childForFieldName('value') : null;
    const argument = given ?? fallback;
    const literal = argument ? stringLiteral(argument) : undefined;
    if (literal !== undefined && (inner.bindings.get(name.text)?.length ?? 0) === 1) literals.set(name.text, literal);
  }
  return literals;
}

/** Whether `name == "x"` (or `"x" == name`, `!=`) holds for the literals: undefined when the condition says something else. */
function literalCondition(condition: PythonNode | null, literals: Map<string, string>): boolean | undefined {
  const node = condition ? unparenthesize(condition) : undefined;
  if (node?.type !== 'comparison_operator') return undefined;
  const operands = namedChildrenOf(node);
  const operators = node.childrenForFieldName('operators').filter((op): op is PythonNode => op !== null);
  if (operands.length !== 2 || operators.length !== 1 || (operators[0]!.text !== '==' && operators[0]!.text !== '!=')) return undefined;
  const [left, right] = operands as [PythonNode, PythonNode];
  const name = left.type === 'identifier' ? left : right.type === 'identifier' ? right : undefined;
  const other = name === left ? right : left;
  const literal = stringLiteral(other);
  const known = name ? literals.get(name.text) : undefined;
  if (known === undefined || literal === undefined) return undefined;
  return (known === literal) === (operators[0]!.text === '==');
}

/** False when the `if` / `elif` / `else` branches around the return cannot be taken with these literals. */
function reachableWith(statement: PythonNode, body: PythonNode, literals: Map<string, string>): boolean {
  for (let node: PythonNode = statement; node.parent && node.id !== body.id; node = node.parent) {
    const parent = node.parent;
    const statementOf = parent.type === 'if_statement' ? parent : (parent.type === 'elif_clause' || parent.type === 'else_clause') && parent.parent?.type === 'if_statement' ? parent.parent : undefined;
    if (!statementOf || node.type !== 'block') continue;
    // The conditions tried before this branch must not hold, and this branch's own must.
    const clauses = [statementOf, ...statementOf.childrenForFieldName('alternative').filter((c): c is PythonNode => c !== null)];
    for (const clause of clauses) {
      const condition = clause.type === 'else_clause' ? null : clause.childForFieldName('condition');
      const holds = clause.type === 'else_clause' ? undefined : literalCondition(condition, literals);
      if (clause.id === parent.id) {
        if (holds === false) return false;
        break;
      }
      if (holds === true) return false;
    }
  }
  return true;
}

/** `QdrantClient(":memory:")`: an in-process store, no server. */
function inMemory(call: PythonNode): boolean {
  const args = callArguments(call);
  const location = args.keywords.get('location') ?? args.positional[0];
  return location !== undefined && stringLiteral(location) === ':memory:';
}

/**
 * The dotted library name an expression spells when its first name is an import of an installed
 * package (`r.get` after `import requests as r` is `requests.get`); undefined when that name is a
 * parameter or local variable of the function, a definition of the module, or a project module.
 */
function libraryName(node: PythonNode, fn: PythonNode | undefined, file: string, modules: PythonModules): string | undefined {
  const parts: string[] = [];
  let current = node;
  while (current.type === 'attribute') {
    const attribute = current.childForFieldName('attribute')?.text;
    const object = current.childForFieldName('object');
    if (!attribute || !object) return undefined;
    parts.unshift(attribute);
    current = object;
  }
  if (current.type !== 'identifier') return undefined;
  const name = current.text;
  const binding = modules.importBindingAt(file, name, node);
  if (!binding || binding.file !== undefined) return undefined;
  if ((fn && bindsLocally(fn, name)) || modules.lookup(file, name)) return undefined;
  const head = binding.kind === 'module' ? binding.module : `${binding.module}.${binding.name}`;
  return [head, ...parts].join('.');
}

/** True when the function binds the name itself: a parameter, an assignment, a loop or with target. */
function bindsLocally(fn: PythonNode, name: string): boolean {
  return parameterNames(fn).includes(name) || rebinds(fn, name);
}

/** The function's body binds the name (an assignment, a loop, `as`, a def or class). */
function rebinds(fn: PythonNode, name: string): boolean {
  const body = fn.childForFieldName('body');
  let bound = false;
  if (!body) return false;
  descendantsInScope(body, (node) => {
    if (bound) return;
    let targets: PythonNode | null | undefined;
    if (node.type === 'assignment' || node.type === 'augmented_assignment' || node.type === 'for_statement' || node.type === 'for_in_clause') targets = node.childForFieldName('left');
    else if (node.type === 'named_expression') targets = node.childForFieldName('name');
    else if (node.type === 'as_pattern') targets = node.childForFieldName('alias');
    else if (node.type === 'function_definition' || node.type === 'class_definition') targets = node.childForFieldName('name');
    if (targets && boundNames(targets).includes(name)) bound = true;
  });
  return bound;
}

/** The type written on a parameter (`client: S3Client`), unwrapped from the `type` node. */
function parameterAnnotation(fn: PythonNode, name: string): PythonNode | undefined {
  const parameters = fn.childForFieldName('parameters');
  if (!parameters) return undefined;
  for (const parameter of namedChildrenOf(parameters)) {
    if (parameter.type !== 'typed_parameter' && parameter.type !== 'typed_default_parameter') continue;
    const named = parameter.childForFieldName('name') ?? namedChildrenOf(parameter).find((c) => c.type === 'identifier');
    if (named?.text !== name) continue;
    const type = parameter.childForFieldName('type');
    return type ? (namedChildrenOf(type)[0] ?? type) : undefined;
  }
  return undefined;
}

function parameterNames(fn: PythonNode): string[] {
  const parameters = fn.childForFieldName('parameters');
  if (!parameters) return [];
  const names: string[] = [];
  for (const parameter of namedChildrenOf(parameters)) {
    if (parameter.type === 'identifier') names.push(parameter.text);
    else {
      const named = parameter.childForFieldName('name') ?? namedChildrenOf(parameter).find((c) => c.type === 'identifier');
      if (named) names.push(named.text);
    }
  }
  return names;
}

/** The plain names a binding target binds (`a`, `a, b`, `(a, [b, *c])`); attributes and subscripts bind none. */
function boundNames(target: PythonNode | null | undefined): string[] {
  if (!target) return [];
  if (target.type === 'identifier') return [target.text];
  if (['pattern_list', 'tuple_pattern', 'list_pattern', 'expression_list', 'tuple', 'list', 'list_splat_pattern', 'parenthesized_expression', 'as_pattern_target'].includes(target.type)) {
    return namedChildrenOf(target).flatMap(boundNames);
  }
  return [];
}

/**
 * True when `expression`, read in `fn`, is an object of a synchronous pymongo client (a client,
 * a database or a collection) the review can follow to `pymongo.MongoClient(...)`, as the
 * blocking-call model does.
 */
export function isMongoObject(expression: PythonNode, fn: PythonNode, file: string, modules: PythonModules, scopes: Map<string, unknown>): boolean {
  return mongoObjectKind(expression, fn, file, modules, scopes) === 'sync';
}

/**
 * `sync` for an object of a synchronous pymongo client (as isMongoObject), `async` for one of an
 * async client (`pymongo.AsyncMongoClient(...)`, motor's `AsyncIOMotorClient(...)`), followed the
 * same way; undefined when the review cannot follow it to one.
 */
export function mongoObjectKind(expression: PythonNode, fn: PythonNode, file: string, modules: PythonModules, scopes: Map<string, unknown>): 'sync' | 'async' | undefined {
  const scope = functionScope(fn, file, modules, scopes as Map<string, Scope>, 0);
  const value = resolve(expression, scope);
  if (!value || !('client' in value)) return undefined;
  return value.client === 'mongo' ? 'sync' : value.client === 'asyncMongo' ? 'async' : undefined;
}

/** What the network I/O of a client kind talks to, for a message. */
const SERVICE: Record<ClientKind, string> = {
  requests: 'an HTTP request',
  httpx: 'an HTTP request',
  asyncHttpx: 'an HTTP request',
  aiohttp: 'an HTTP request',
  boto3: 'an AWS API request',
  smtp: 'an SMTP exchange',
  mongo: 'a MongoDB query',
  asyncMongo: 'a MongoDB query',
  qdrant: 'a Qdrant request',
  asyncQdrant: 'a Qdrant request',
  redis: 'a Redis command',
  asyncRedis: 'a Redis command',
  openai: 'an OpenAI API request',
  asyncOpenai: 'an OpenAI API request',
  anthropic: 'an Anthropic API request',
  asyncAnthropic: 'an Anthropic API request',
  elasticsearch: 'an Elasticsearch request',
  asyncElasticsearch: 'an Elasticsearch request',
  neo4j: 'a Neo4j query',
  neo4jSession: 'a Neo4j query',
  sqlEngine: 'a SQL query',
  sqlSessionFactory: 'a SQL query',
  sqlSession: 'a SQL query',
  asyncSqlEngine: 'a SQL query',
  asyncSqlSessionFactory: 'a SQL query',
  asyncSqlSession: 'a SQL query',
  psycopg: 'a SQL query',
  langchainModel: 'an LLM request',
  langchainChain: 'an LLM request',
  supabase: 'a Supabase request',
  cent: 'a Centrifugo API request',
  boto3Session: 'an AWS API request',
  boto3Resource: 'an AWS API request',
  boto3SubResource: 'an AWS API request',
  caldav: 'a CalDAV request',
  caldavPrincipal: 'a CalDAV request',
  caldavCalendars: 'a CalDAV request',
  caldavCalendar: 'a CalDAV request',
  yandexML: 'a Yandex Cloud ML request',
  yandexModel: 'a Yandex Cloud ML request',
  yandexOperation: 'a Yandex Cloud ML request',
  hash: '',
  sklearnModel: '',
};

/** pymongo (and motor) methods that start a query whose cursor fetches lazily: workflow code that makes one means to read it. */
const MONGO_LAZY = new Set(['find', 'find_raw_batches', 'aggregate_raw_batches', 'watch']);
const LANGCHAIN_ASYNC = new Set(['ainvoke', 'abatch', 'astream', 'abatch_as_completed', 'astream_events', 'apredict', 'agenerate']);

/**
 * True when calling `method` on a client of `kind` (after `depth` attribute or subscript segments)
 * makes a request to the service, sync or async: the blocking-call model's methods, the async
 * clients' counterparts, and the calls that start a query fetched lazily (`collection.find`,
 * `session.query`).
 */
function ioMethod(kind: ClientKind, depth: number, method: string): boolean {
  if (method.startsWith('_')) return false;
  switch (kind) {
    case 'mongo':
    case 'asyncMongo':
      return MONGO_BLOCKING.has(method) || MONGO_LAZY.has(method);
    case 'asyncRedis':
      return blockingMethod('redis', depth, method);
    case 'asyncHttpx':
      return blockingMethod('httpx', depth, method);
    case 'aiohttp':
      return depth === 0 && (HTTP_VERBS.includes(method) || method === 'ws_connect');
    case 'asyncOpenai':
      return blockingMethod('openai', depth, method);
    case 'asyncAnthropic':
      return blockingMethod('anthropic', depth, method);
    case 'asyncQdrant':
      return blockingMethod('qdrant', depth, method);
    case 'asyncElasticsearch':
      return blockingMethod('elasticsearch', depth, method);
    case 'asyncSqlEngine':
      return blockingMethod('sqlEngine', depth, method);
    case 'sqlSession':
    case 'asyncSqlSession':
      return depth === 0 && (SQL_SESSION_BLOCKING.has(method) || method === 'query');
    case 'langchainModel':
    case 'langchainChain':
      return LANGCHAIN_BLOCKING.has(method) || LANGCHAIN_ASYNC.has(method);
    case 'hash':
    case 'sklearnModel':
    case 'asyncSqlSessionFactory':
      return false;
    default:
      return blockingMethod(kind, depth, method);
  }
}

/**
 * Library types a parameter may be annotated with, and the client kind an object of that type is
 * (`db: Database`, `collection: AsyncIOMotorCollection`, `session: AsyncSession`). Read only by
 * clientIoCall: the activity checks keep to values they can follow to a constructor.
 */
const ANNOTATION_TYPES = new Map<string, ClientKind>([
  ...['pymongo.MongoClient', 'pymongo.mongo_client.MongoClient', 'pymongo.database.Database', 'pymongo.collection.Collection', 'pymongo.synchronous.database.Database', 'pymongo.synchronous.collection.Collection'].map((name): [string, ClientKind] => [name, 'mongo']),
  ...['pymongo.AsyncMongoClient', 'pymongo.asynchronous.database.AsyncDatabase', 'pymongo.asynchronous.collection.AsyncCollection', 'motor.motor_asyncio.AsyncIOMotorClient', 'motor.motor_asyncio.AsyncIOMotorDatabase', 'motor.motor_asyncio.AsyncIOMotorCollection'].map((name): [string, ClientKind] => [name, 'asyncMongo']),
  ['sqlalchemy.orm.Session', 'sqlSession'],
  ['sqlalchemy.orm.session.Session', 'sqlSession'],
  ['sqlalchemy.ext.asyncio.AsyncSession', 'asyncSqlSession'],
  ['sqlalchemy.engine.Engine', 'sqlEngine'],
  ['sqlalchemy.Engine', 'sqlEngine'],
  ['sqlalchemy.ext.asyncio.AsyncEngine', 'asyncSqlEngine'],
  ['redis.Redis', 'redis'],
  ['redis.asyncio.Redis', 'asyncRedis'],
  ['httpx.Client', 'httpx'],
  ['httpx.AsyncClient', 'asyncHttpx'],
  ['aiohttp.ClientSession', 'aiohttp'],
  ['requests.Session', 'requests'],
  ['openai.OpenAI', 'openai'],
  ['openai.AsyncOpenAI', 'asyncOpenai'],
  ['anthropic.Anthropic', 'anthropic'],
  ['anthropic.AsyncAnthropic', 'asyncAnthropic'],
]);

/** Scope maps whose parameters annotated with a client type count as that client (clientIoCall's). */
const ANNOTATED_SCOPES = new WeakSet<object>();

export interface ClientIoCall {
  /** The client and method (`pymongo.MongoClient[db_name]["trades"].find`). */
  api: string;
  /** What the request is, with its article (`a MongoDB query`). */
  service: string;
  /** The client is an async one (awaited on the caller's event loop). */
  async: boolean;
  /** The library constructor call the client comes from, when the review followed it to one. */
  site?: { node: PythonNode; file: string; name: string };
  /**
   * Why the workflow sandbox rejects every such call, wherever the client was made, when it does
   * (temporalio 1.35.0, on a real worker): pymongo calls os.getpid on every operation.
   */
  rejected?: string;
}

/**
 * The network or database request `call` (read in `fn`) makes on a client object the review can
 * establish the type of, sync or async: built by a known client constructor (in `fn`, a module
 * variable, a class attribute, what a project function returns on every path, as the blocking-call
 * model follows it), or a parameter annotated with a client type. `scopes` is the caller's cache;
 * give the same map for every call of one review, and not one the activity models use.
 */
export function clientIoCall(call: PythonNode, fn: PythonNode, file: string, modules: PythonModules, scopes: Map<string, unknown>): ClientIoCall | undefined {
  ANNOTATED_SCOPES.add(scopes);
  const callee = call.childForFieldName('function');
  if (callee?.type !== 'attribute') return undefined;
  const method = callee.childForFieldName('attribute')?.text;
  const object = callee.childForFieldName('object');
  if (!method || !object) return undefined;
  const scope = functionScope(fn, file, modules, scopes as Map<string, Scope>, 0);
  const receiver = resolve(object, scope);
  if (!receiver || !('client' in receiver) || !ioMethod(receiver.client, receiver.path.length, method)) return undefined;
  if ((receiver.client === 'langchainModel' || receiver.client === 'langchainChain') && !receiver.path.every((segment) => segment.endsWith('(…)'))) return undefined;
  const api =
    unparenthesize(object).type === 'call' && receiver.path.length === 0 && receiver.made
      ? `${receiver.made}().${method}`
      : `${clientLabel(receiver)}${receiver.path.join('')}.${method}`;
  const rejected = receiver.client === 'mongo' ? 'pymongo calls os.getpid, which the sandbox restricts' : undefined;
  return { api, service: SERVICE[receiver.client], async: ASYNC_KINDS.has(receiver.client), ...(receiver.site ? { site: receiver.site } : {}), ...(rejected ? { rejected } : {}) };
}

/** The client as a message names it: its constructor class (`AsyncIOMotorClient`), the annotated type, or the kind's label. */
function clientLabel(value: { client: ClientKind; site?: { name: string }; label?: string }): string {
  const constructor = value.site?.name.split('.').at(-1);
  if (constructor && /^[A-Z]/.test(constructor)) return value.site!.name;
  return value.label ?? CLIENT_LABEL[value.client];
}
