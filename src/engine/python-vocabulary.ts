// The retry and timeout checks speak the engine's vocabulary, which is the TypeScript SDK's
// (startToCloseTimeout, retry.maximumAttempts, heartbeat()). A finding about Python code names the
// Python SDK's keyword arguments and calls instead, so the fix can be typed as written.

const SNAKE = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const OPTION_NAMES = [
  'startToCloseTimeout',
  'scheduleToCloseTimeout',
  'scheduleToStartTimeout',
  'heartbeatTimeout',
  'localRetryThreshold',
  'initialInterval',
  'backoffCoefficient',
  'maximumInterval',
  'maximumAttempts',
  'nonRetryableErrorTypes',
  'taskQueue',
  // Bare timeout names in prose ("fails (scheduleToClose timeout)").
  'startToClose',
  'scheduleToClose',
  'scheduleToStart',
];

const UNITS: Record<string, string> = { s: 'seconds', m: 'minutes', h: 'hours' };

/** Whole phrases first (SDK errors, code to type), then names. */
const PHRASES: [RegExp, string | ((...groups: string[]) => string)][] = [
  // payloads and capacity
  [/\(no cancelled\(\), cancellationSignal, activity sleep\(\) or worker client\)/g, '(none is an async activity that awaits, nor a sync one the SDK can raise CancelledError into)'],
  [/workflowInfo\(\)\.continueAsNewSuggested/g, 'workflow.info().is_continue_as_new_suggested()'],
  [/\bCall continueAsNew\b/g, 'Call workflow.continue_as_new()'],
  [/\bcontinueAsNew between\b/g, 'workflow.continue_as_new() between'],
  [
    /encrypt payloads with a PayloadCodec in the data converter/g,
    'encrypt payloads with a temporalio.converter.PayloadCodec set as payload_codec on the DataConverter the client connects with (Client.connect(..., data_converter=dataclasses.replace(temporalio.converter.default(), payload_codec=EncryptionCodec())))',
  ],
  [/\buse a tuner \(fixed-size or resource-based slot suppliers\)/g, 'pass tuner=WorkerTuner.create_fixed(...) or WorkerTuner.create_resource_based(...)'],
  [/\bthe Worker\.create options\b/g, 'the Worker(...) arguments'],
  [/\bWorker\.create\b/g, 'Worker(...)'],
  [/\(e\.g\. '(\d+)s', /g, (_m, seconds) => `(e.g. timedelta(seconds=${seconds}), `],
  [/\bmaxConcurrentActivityTaskExecutions\b/g, 'max_concurrent_activities'],
  [/\bmaxConcurrentWorkflowTaskExecutions\b/g, 'max_concurrent_workflow_tasks'],
  [/\bmaxConcurrentLocalActivityExecutions\b/g, 'max_concurrent_local_activities'],
  [/\bshutdownGraceTime\b/g, 'graceful_shutdown_timeout'],
  [/\bactivityTaskSlotSupplier\b/g, 'tuner activity_slots'],
  [/\bworkflowTaskSlotSupplier\b/g, 'tuner workflow_slots'],
  [/\blocalActivityTaskSlotSupplier\b/g, 'tuner local_activity_slots'],
  [/TypeError 'Required either scheduleToCloseTimeout or startToCloseTimeout'/g, "ValueError 'Activity must have start_to_close_timeout or schedule_to_close_timeout'"],
  [
    /retry: \{ initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 5, nonRetryableErrorTypes: \['YourBusinessError'\] \}/g,
    'retry_policy=RetryPolicy(initial_interval=timedelta(seconds=1), backoff_coefficient=2.0, maximum_interval=timedelta(minutes=1), maximum_attempts=5, non_retryable_error_types=["YourBusinessError"])',
  ],
  [/\(error\.constructor\.name: /g, '(type(err).__name__ in the failure converter: '],
  [/the TypeScript SDK throws this ValueError when the workflow schedules the activity/g, 'the Python SDK raises ValueError (RetryPolicy._validate) when the workflow schedules the activity'],
  [/the server rejects the ScheduleActivityTask command \(BAD_SCHEDULE_ACTIVITY_ATTRIBUTES\)/g, 'the Python SDK raises ValueError (RetryPolicy._validate) when the workflow schedules the activity'],
  [/write durations the ms package reads \('30s', '5m', '1\.5h', '2 days'\) or positive milliseconds/g, 'write durations as positive timedelta values'],
  [/intervals are positive durations \('1s', '1m'\)/g, 'intervals are positive timedelta values'],
  [/\b(\w+): '(\d+(?:\.\d+)?)(s|m|h)'/g, (_m, name, n, unit) => `${name}=timedelta(${UNITS[unit]}=${n})`],
  [/\b(backoffCoefficient): (\d+)\b/g, (_m, name, n) => `${name}=${n}.0`],
  [/, e\.g\. '(\d+(?:\.\d+)?)(s|m|h)'/g, (_m, n, unit) => `, e.g. timedelta(${UNITS[unit]}=${n})`],
  // Observability: the runtime reaches a Python worker through its client (Client.connect(runtime=...)).
  [
    /Call Runtime\.install\(\{ telemetryOptions: \{ metrics: \{ prometheus: \{ bindAddress: '0\.0\.0\.0:9464' \} \} \} \}\) \(or metrics: \{ otel: \{ url \} \}\) once, before any connection or (?:Worker\.create|Worker\(\.\.\.\)), in the worker entry point;/g,
    'Build runtime = Runtime(telemetry=TelemetryConfig(metrics=PrometheusConfig(bind_address="0.0.0.0:9464"))) (or metrics=OpenTelemetryConfig(url=...)) once in the worker process and pass it to the client the worker is given (Client.connect(..., runtime=runtime)), or call Runtime.set_default(runtime) before any client connects;',
  ],
  [/Write telemetryOptions\.metrics inline \(prometheus or otel\), or suppress this note with a reason\./g, 'Build the Runtime with telemetry=TelemetryConfig(metrics=PrometheusConfig(...)) and pass it to Client.connect(..., runtime=...) where it can be read statically, or suppress this note with a reason.'],
  [/\(Runtime\.install with telemetryOptions\.metrics\)/g, '(a Runtime with TelemetryConfig(metrics=...) on its client)'],
  [/without Runtime\.install exporting metrics/g, 'without a metrics-exporting Runtime on its client'],
  [
    /call Runtime\.install\(\{ telemetryOptions: \{ metrics: \{ otel: \{ url \} \} \} \}\) before connecting/g,
    'build runtime = Runtime(telemetry=TelemetryConfig(metrics=OpenTelemetryConfig(url=...))) and pass it to Client.connect(..., runtime=runtime)',
  ],
  [/the installs that export them are not imported by (its entry point|their entry points)/g, (_m, who) => `the Runtimes that export them do not reach ${who === 'its entry point' ? 'its client' : 'their clients'}`],
  [/a Runtime\.install with metrics that (this worker does|these workers do) not import/g, (_m, who) => `a Runtime with metrics that ${who === 'this worker does' ? "this worker's client does" : "these workers' clients do"} not use`],
  [/\bthis Runtime\.install\b/gi, (m) => `${m.startsWith('T') ? 'This' : 'this'} Runtime(...)`],
  // Search attributes: the Python SDK's typed keys and the one start keyword it has.
  [/Pass typedSearchAttributes in the start options where they can be seen/g, 'Pass search_attributes=TypedSearchAttributes([...]) in the start call where they can be seen'],
  [/Define keys with defineSearchAttributeKey\('CustomerId', SearchAttributeType\.KEYWORD\)/g, 'Define keys with CUSTOMER_ID = SearchAttributeKey.for_keyword("CustomerId")'],
  [/pass typedSearchAttributes: \[\{ key: CUSTOMER_ID, value: customerId \}\] when starting/g, 'pass search_attributes=TypedSearchAttributes([SearchAttributePair(CUSTOMER_ID, customer_id)]) when starting'],
  [/Define it as SearchAttributeType\.KEYWORD/g, 'Define it with SearchAttributeKey.for_keyword(...)'],
  [/\bactivity proxies\b/g, 'activity calls'],
  [/\bproxies\b/g, 'calls'],
  [/\bthis proxy\b/g, 'this call'],
  [/\bproxy\b/g, 'call'],
  [/ApplicationFailure\.nonRetryable\(message, '([^']+)'\)/g, (_m, type) => `ApplicationError(message, type="${type}", non_retryable=True)`],
  [/ Keep class names unminified: the type is the class name\./g, ' The type of a plain exception is its class name; an ApplicationError subclass carries only the type= it is given.'],
  [/\bthrow\b/g, 'raise'],
  [/\bthrows\b/g, 'raises'],
  [/\bthrown\b/g, 'raised'],
  [/ApplicationFailure type/g, 'ApplicationError type'],
  [/activityInfo\(\)\.heartbeatDetails/g, 'activity.info().heartbeat_details'],
  [/Context\.current\(\)\.info\.heartbeatDetails/g, 'activity.info().heartbeat_details'],
  [/\bheartbeatDetails\b/g, 'heartbeat_details'],
  [/(?<![.\w])heartbeat\(/g, 'activity.heartbeat('],
  [/process\.env\.(\w+)/g, (_m, name) => `os.environ["${name}"]`],
  [/\(e\.g\. '(\d+)s'\)/g, (_m, seconds) => `(e.g. timedelta(seconds=${seconds}))`],
  [/\bretry\.(\w+)/g, (_m, field) => `retry_policy.${SNAKE(field)}`],
  [/\bretry policy\b/g, 'retry policy'],
];

/** Rewrites a finding's message or fix for Python code. */
export function toPythonVocabulary(text: string): string {
  let result = text;
  for (const [pattern, replacement] of PHRASES) result = result.replace(pattern, replacement as string);
  for (const name of OPTION_NAMES) result = result.replace(new RegExp(`\\b${name}\\b`, 'g'), SNAKE(name));
  return result;
}
