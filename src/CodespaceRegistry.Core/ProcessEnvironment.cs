using System;
using System.Collections;
using System.Collections.Generic;

namespace CodespaceRegistry
{
    /// <summary>The process environment as the dictionary Core's classes take, so tests can pass their own.</summary>
    public static class ProcessEnvironment
    {
        public static IReadOnlyDictionary<string, string?> Snapshot()
        {
            var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (DictionaryEntry e in Environment.GetEnvironmentVariables()) variables[(string)e.Key] = e.Value as string;
            return variables;
        }
    }
}
