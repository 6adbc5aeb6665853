using System;
using System.Management.Automation;

namespace CodespaceRegistry.Commands
{
    /// <summary>The one place Core's exceptions become PowerShell error records.</summary>
    internal static class ErrorRecords
    {
        public static ErrorRecord From(Exception exception, object? target)
        {
            if (exception is AggregateException aggregate && aggregate.InnerExceptions.Count == 1)
                exception = aggregate.InnerExceptions[0];
            // The input as given (a server, a reference) may carry user:password@; the record keeps the rest of it.
            if (target is string input) target = Redaction.WithoutUserInfo(input);

            switch (exception)
            {
                case RegistryException registry:
                    return new ErrorRecord(registry, registry.ErrorId, CategoryOf(registry.Kind), target);
                case ItemNotFoundException notFound:
                    // A path that does not exist, as Get-ChildItem reports it.
                    return new ErrorRecord(notFound, "PathNotFound", ErrorCategory.ObjectNotFound, target);
                case OperationCanceledException canceled:
                    return new ErrorRecord(canceled, "OperationStopped", ErrorCategory.OperationStopped, target);
                default:
                    // Unexpected failures keep their type in the id and their inner exception; their messages come
                    // from .NET and carry no secrets of ours.
                    return new ErrorRecord(exception, "Unexpected" + exception.GetType().Name, ErrorCategory.NotSpecified, target);
            }
        }

        public static ErrorCategory CategoryOf(ErrorKind kind) => kind switch
        {
            ErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
            ErrorKind.InvalidData => ErrorCategory.InvalidData,
            ErrorKind.Authentication => ErrorCategory.AuthenticationError,
            ErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
            ErrorKind.ObjectNotFound => ErrorCategory.ObjectNotFound,
            ErrorKind.Connection => ErrorCategory.ConnectionError,
            ErrorKind.Timeout => ErrorCategory.OperationTimeout,
            ErrorKind.LimitsExceeded => ErrorCategory.LimitsExceeded,
            ErrorKind.Security => ErrorCategory.SecurityError,
            ErrorKind.NotImplemented => ErrorCategory.NotImplemented,
            _ => ErrorCategory.NotSpecified,
        };
    }
}
