namespace CodespaceRegistry.Access
{
    public enum CheckStatus
    {
        Passed = 0,
        Warning,
        Failed,

        /// <summary>Not run: an earlier check failed, or the input gives nothing to check.</summary>
        Skipped,
    }

    /// <summary>One step of the diagnosis the Codespaces docs ask users to do by hand.</summary>
    public sealed class RegistryAccessCheck
    {
        /// <summary>Which secret set (if any) a codespace logs in to the image's registry with.</summary>
        public const string Credentials = "Credentials";
        public const string SecretSet = "SecretSet";
        public const string Server = "Server";
        public const string AwsIdentity = "AwsIdentity";
        public const string EcrToken = "EcrToken";
        public const string Dns = "Dns";
        public const string Connection = "Connection";
        public const string Tls = "Tls";
        public const string RegistryApi = "RegistryApi";
        public const string Authentication = "Authentication";
        public const string Pull = "Pull";
        public const string Push = "Push";
        public const string StoredCredentials = "StoredCredentials";

        public RegistryAccessCheck(string name, CheckStatus status, string detail, string? remediation = null, string? errorId = null)
        {
            Name = name;
            Status = status;
            Detail = detail;
            Remediation = remediation ?? "";
            ErrorId = errorId;
        }

        /// <summary>One of the constants of this class: <c>Dns</c>, <c>Authentication</c>, <c>Pull</c>, ...</summary>
        public string Name { get; }

        public CheckStatus Status { get; }

        /// <summary>What was found (never a secret).</summary>
        public string Detail { get; }

        /// <summary>What to do when the check did not pass; empty when it did.</summary>
        public string Remediation { get; }

        /// <summary>The stable id of the failure (<c>RegistryLoginUnauthorized</c>, ...), when there is one.</summary>
        public string? ErrorId { get; }

        public override string ToString() => $"{Name}: {Status} {Detail}";

        internal static RegistryAccessCheck From(string name, RegistryException failure) =>
            failure is Distribution.RegistryProtocolException protocol
                ? new RegistryAccessCheck(name, CheckStatus.Failed, protocol.Problem, protocol.Fix, protocol.ErrorId)
                : new RegistryAccessCheck(name, CheckStatus.Failed, failure.Message, null, failure.ErrorId);

        internal static RegistryAccessCheck SkippedAfter(string name, string reason) =>
            new RegistryAccessCheck(name, CheckStatus.Skipped, "Not run: " + reason);
    }
}
