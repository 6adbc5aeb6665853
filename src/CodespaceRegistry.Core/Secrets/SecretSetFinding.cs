namespace CodespaceRegistry.Secrets
{
    public enum FindingSeverity
    {
        Information = 0,
        Warning,
        Error,
    }

    /// <summary>Something wrong (or worth knowing) about a secret set, with the fix. Never carries a secret value.</summary>
    public sealed class SecretSetFinding
    {
        public SecretSetFinding(string id, FindingSeverity severity, string message, string fix, string? secretName = null)
        {
            Id = id;
            Severity = severity;
            Message = message;
            Fix = fix;
            SecretName = secretName;
        }

        /// <summary>Stable PascalCase identifier, such as <c>IncompleteSet</c>.</summary>
        public string Id { get; }

        public FindingSeverity Severity { get; }

        public string Message { get; }

        public string Fix { get; }

        /// <summary>The secret the finding is about, when it is about one.</summary>
        public string? SecretName { get; }

        public override string ToString() => $"{Severity} {Id}: {Message}";
    }
}
