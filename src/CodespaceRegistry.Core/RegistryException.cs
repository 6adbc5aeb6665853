using System;

namespace CodespaceRegistry
{
    /// <summary>What kind of failure an error is; the cmdlets map it to an ErrorCategory in one place.</summary>
    public enum ErrorKind
    {
        Other = 0,
        InvalidArgument,
        InvalidData,
        Authentication,
        PermissionDenied,
        ObjectNotFound,
        Connection,
        Timeout,
        LimitsExceeded,
        Security,
        NotImplemented,
    }

    /// <summary>
    /// The one exception type Core throws for failures a user can act on. <see cref="ErrorId"/> is stable
    /// PascalCase and unique per code path; the message names the problem and the fix and never carries a
    /// secret; the inner exception is kept.
    /// </summary>
    public class RegistryException : Exception
    {
        public RegistryException(string errorId, ErrorKind kind, string message, Exception? inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            Kind = kind;
        }

        public string ErrorId { get; }

        public ErrorKind Kind { get; }
    }
}
