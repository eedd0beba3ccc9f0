"""StratusDB's Python runtime for stream triggers: a small AWS Lambda Runtime API client.

StratusDB starts it with AWS_LAMBDA_RUNTIME_API (where to fetch invocations) and _HANDLER
("/path/to/module.py#function"). It imports the module once, then loops: fetch the next event,
call the function with a Lambda-shaped context, post the result or the error.
"""
import importlib.util
import json
import os
import sys
import time
import traceback
import urllib.request

API = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime"


def post(path, body, headers=None):
    data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(API + path, data=data, method="POST")
    request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    with urllib.request.urlopen(request) as response:
        response.read()


def error_body(error):
    return {
        "errorMessage": str(error),
        "errorType": type(error).__name__,
        "stackTrace": traceback.format_exception(type(error), error, error.__traceback__),
    }


def route_boto3_here():
    """botocore learned AWS_ENDPOINT_URL_<SERVICE> in 1.31; older ones (Debian 12 ships 1.29) are
    pointed at StratusDB here, so handler code that never names an endpoint still lands on it."""
    try:
        import botocore
        import botocore.session
    except ImportError:
        return
    version = tuple(int(part) for part in botocore.__version__.split(".")[:2] if part.isdigit())
    if version >= (1, 31):
        return
    original = botocore.session.Session.create_client

    def create_client(self, service_name, *args, **kwargs):
        variable = "AWS_ENDPOINT_URL_" + service_name.upper().replace("-", "_")
        if kwargs.get("endpoint_url") is None and os.environ.get(variable):
            kwargs["endpoint_url"] = os.environ[variable]
        return original(self, service_name, *args, **kwargs)

    botocore.session.Session.create_client = create_client


class Context:
    def __init__(self, request_id, deadline_ms, function_arn):
        self.aws_request_id = request_id
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        self.invoked_function_arn = function_arn
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME", "")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME", "")
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline_ms - int(time.time() * 1000))


def load_handler():
    path, _, name = os.environ["_HANDLER"].rpartition("#")
    directory = os.path.dirname(os.path.abspath(path))
    if directory not in sys.path:
        sys.path.insert(0, directory)
    module_name = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError("cannot load " + path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    handler = getattr(module, name, None)
    if not callable(handler):
        raise AttributeError("module " + path + " has no function " + name)
    return handler


def main():
    route_boto3_here()
    try:
        handler = load_handler()
    except Exception as error:  # the runtime reports any import failure, then exits
        post("/init/error", error_body(error), {"Lambda-Runtime-Function-Error-Type": "Runtime.ImportModuleError"})
        sys.exit(1)
    while True:
        with urllib.request.urlopen(API + "/invocation/next") as response:
            request_id = response.headers["Lambda-Runtime-Aws-Request-Id"]
            deadline_ms = int(response.headers.get("Lambda-Runtime-Deadline-Ms", "0"))
            function_arn = response.headers.get("Lambda-Runtime-Invoked-Function-Arn", "")
            event = json.loads(response.read())
        try:
            result = handler(event, Context(request_id, deadline_ms, function_arn))
        except Exception as error:
            print("[ERROR] " + "".join(traceback.format_exception_only(type(error), error)).strip(), file=sys.stderr)
            post("/invocation/" + request_id + "/error", error_body(error), {"Lambda-Runtime-Function-Error-Type": "Unhandled"})
            continue
        try:
            body = json.dumps(result).encode("utf-8")
        except (TypeError, ValueError) as error:
            failure = {"errorMessage": "Unable to marshal response: " + str(error), "errorType": "Runtime.MarshalError", "stackTrace": []}
            post("/invocation/" + request_id + "/error", failure, {"Lambda-Runtime-Function-Error-Type": "Runtime.MarshalError"})
            continue
        post("/invocation/" + request_id + "/response", body)


if __name__ == "__main__":
    main()
