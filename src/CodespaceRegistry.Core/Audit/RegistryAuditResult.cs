using CodespaceRegistry.Access;

namespace CodespaceRegistry.Audit
{
    /// <summary>What an audit result is about.</summary>
    public enum AuditSubjectKind
    {
        /// <summary>A registry secret set in the environment.</summary>
        SecretSet = 0,

        /// <summary>An image the dev container pulls (devcontainer.json's image, a Dockerfile, a Compose service).</summary>
        Image,

        /// <summary>A dev container Feature, an OCI artifact the dev container pulls.</summary>
        Feature,
    }

    /// <summary>How an audit subject fared.</summary>
    public enum AuditStatus
    {
        Passed = 0,

        /// <summary>A codespace gets it, but something should be fixed (or, offline, could not be proved).</summary>
        Warning,

        /// <summary>A codespace does not get it.</summary>
        Failed,

        /// <summary>A fact that decides it is unknown (no token, a package the API cannot show): check by hand.</summary>
        Undetermined,
    }

    /// <summary>
    /// One subject of a codespace registry audit — a secret set, or an image or Feature the dev container pulls — with
    /// its status, the rule and finding that decided it, what to do, and where the subject is named.
    /// </summary>
    public sealed class RegistryAuditResult
    {
        internal RegistryAuditResult(string subject, AuditSubjectKind kind, AuditStatus status, string id, string message, string fix)
        {
            Subject = subject;
            Kind = kind;
            Status = status;
            Rule = AuditRules.For(kind).Id;
            Id = id;
            Message = message;
            Fix = fix;
        }

        /// <summary>The set's identifier, or the image or Feature reference as the dev container names it.</summary>
        public string Subject { get; }

        public AuditSubjectKind Kind { get; }

        public AuditStatus Status { get; }

        /// <summary>The audit rule (one per kind: <c>SecretSetValid</c>, <c>ImagePullable</c>, <c>FeaturePullable</c>); the SARIF rule id.</summary>
        public string Rule { get; }

        /// <summary>The stable id of what decided the status: a finding, a failed check's error id, or a package access rule.</summary>
        public string Id { get; }

        /// <summary>What was found (never a secret).</summary>
        public string Message { get; }

        /// <summary>What to do; empty when there is nothing to do.</summary>
        public string Fix { get; }

        /// <summary>The codespace's repository, <c>owner/name</c> (images and Features).</summary>
        public string? Repository { get; internal set; }

        /// <summary>The repository's folder (absolute): <see cref="File"/> is relative to it.</summary>
        public string? Root { get; internal set; }

        /// <summary>The file that names the image or Feature, relative to <see cref="Root"/>, with forward slashes.</summary>
        public string? File { get; internal set; }

        /// <summary>The line (from 1) that names the image or Feature.</summary>
        public int? Line { get; internal set; }

        /// <summary>The column (from 1) where the reference starts on <see cref="Line"/>, or where the line's text starts.</summary>
        public int? Column { get; internal set; }

        /// <summary>The devcontainer.json (relative to <see cref="Root"/>) whose build pulls the image or Feature.</summary>
        public string? Configuration { get; internal set; }

        /// <summary>Where to act, when the package access decision names a page (package settings, Codespaces secrets).</summary>
        public string? SettingsUrl { get; internal set; }

        /// <summary>How a codespace of the repository reaches the package, by the Codespaces rules (images and Features).</summary>
        public PackageAccessDecision? Decision { get; internal set; }

        /// <summary>The pull check, as a codespace makes it; null with -SkipPull, for secret sets, and where a codespace pulls seamlessly.</summary>
        public RegistryAccessReport? Report { get; internal set; }

        /// <summary><c>file:line</c>, or empty for a secret set.</summary>
        public string Source => File == null ? "" : File + ":" + Line;

        public override string ToString() => $"{Status} {Kind} {Subject}: {Message}";
    }
}
