using System;

namespace CodespaceRegistry.Distribution
{
    /// <summary>A failed registry round trip, classified. The message names the problem and the fix; it never holds a secret.</summary>
    public sealed class RegistryProtocolException : RegistryException
    {
        public RegistryProtocolException(RegistryFailure failure, string problem, string fix, int? statusCode = null, Exception? inner = null)
            : base(ErrorIdOf(failure), KindOf(failure), fix.Length > 0 ? problem + " " + fix : problem, inner)
        {
            Failure = failure;
            Problem = problem;
            Fix = fix;
            StatusCode = statusCode;
        }

        /// <summary>What went wrong, without the fix.</summary>
        public string Problem { get; }

        /// <summary>What to do about it.</summary>
        public string Fix { get; }

        public RegistryFailure Failure { get; }

        /// <summary>The HTTP status of the answer that failed, when there was one.</summary>
        public int? StatusCode { get; }

        /// <summary>The stable ErrorId of a failure: <c>RegistryLoginUnauthorized</c>, <c>RegistryTlsUntrusted</c>, ...</summary>
        public static string ErrorIdOf(RegistryFailure failure) =>
            failure == RegistryFailure.Unauthorized ? "RegistryLoginUnauthorized" : "Registry" + failure;

        private static ErrorKind KindOf(RegistryFailure failure) => failure switch
        {
            RegistryFailure.Unauthorized => ErrorKind.Authentication,
            RegistryFailure.InsufficientScope => ErrorKind.PermissionDenied,
            RegistryFailure.Denied => ErrorKind.PermissionDenied,
            RegistryFailure.ManifestUnknown => ErrorKind.ObjectNotFound,
            RegistryFailure.RepositoryUnknown => ErrorKind.ObjectNotFound,
            RegistryFailure.RateLimited => ErrorKind.LimitsExceeded,
            RegistryFailure.ResponseTooLarge => ErrorKind.LimitsExceeded,
            RegistryFailure.DnsFailure => ErrorKind.Connection,
            RegistryFailure.ConnectionRefused => ErrorKind.Connection,
            RegistryFailure.ServerError => ErrorKind.Connection,
            RegistryFailure.TlsUntrusted => ErrorKind.Security,
            RegistryFailure.TlsNameMismatch => ErrorKind.Security,
            RegistryFailure.InsecureRefused => ErrorKind.Security,
            RegistryFailure.RealmRefused => ErrorKind.Security,
            RegistryFailure.Timeout => ErrorKind.Timeout,
            RegistryFailure.NotARegistry => ErrorKind.InvalidData,
            _ => ErrorKind.Other,
        };
    }
}
