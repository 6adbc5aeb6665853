using CodespaceRegistry.Secrets;

namespace CodespaceRegistry.Devcontainer
{
    /// <summary>
    /// Something a scan of a dev container configuration could not turn into a reference (a variable without a
    /// value, a file that is missing, a local Feature), with where it is and what to do.
    /// </summary>
    public sealed class DevcontainerFinding
    {
        internal DevcontainerFinding(string id, FindingSeverity severity, string message, SourceLocation location)
        {
            Id = id;
            Severity = severity;
            Message = message;
            File = location.File;
            Line = location.Line;
            Source = location.ToString();
        }

        /// <summary>Stable PascalCase identifier, such as <c>UnresolvedVariable</c>.</summary>
        public string Id { get; }

        public FindingSeverity Severity { get; }

        public string Message { get; }

        /// <summary><c>file:line</c>, the file relative to the scanned folder.</summary>
        public string Source { get; }

        public string File { get; }

        public int Line { get; }

        public override string ToString() => $"{Source}: {Message}";
    }
}
