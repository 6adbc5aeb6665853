using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace CodespaceRegistry.Commands.Completion
{
    /// <summary>Turns candidate values into the completion results Tab shows: matching, distinct, sorted, quoted where needed.</summary>
    internal static class Completions
    {
        public static IEnumerable<CompletionResult> Of(IEnumerable<(string Value, string Tooltip)> candidates, string wordToComplete)
        {
            var word = (wordToComplete ?? "").Trim('\'', '"');
            var pattern = new WildcardPattern(word + "*", WildcardOptions.IgnoreCase);
            return candidates
                .Where(c => !string.IsNullOrEmpty(c.Value) && pattern.IsMatch(c.Value))
                .GroupBy(c => c.Value, StringComparer.OrdinalIgnoreCase).Select(g => g.First())
                .OrderBy(c => c.Value, StringComparer.OrdinalIgnoreCase)
                .Select(c => new CompletionResult(Quote(c.Value), c.Value, CompletionResultType.ParameterValue, c.Tooltip))
                .ToList();
        }

        private static string Quote(string value) =>
            value.IndexOfAny(new[] { ' ', '$', '`', '(', ')', '{', '}', ';', ',', '&', '@', '#', '\'', '"' }) >= 0 ? "'" + value.Replace("'", "''") + "'" : value;

        /// <summary>A bound value from the command line being completed, as text (null when absent or not a constant).</summary>
        public static string? BoundText(System.Collections.IDictionary fakeBoundParameters, string name)
        {
            var value = fakeBoundParameters?.Contains(name) == true ? fakeBoundParameters[name] : null;
            if (value is PSObject wrapped) value = wrapped.BaseObject;
            return value switch
            {
                string text => text,
                object[] array when array.Length > 0 => array[0]?.ToString(),
                _ => null,
            };
        }
    }
}
