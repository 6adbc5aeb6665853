using System;
using System.Text.Json;

namespace CodespaceRegistry
{
    /// <summary>
    /// A check the JSON parsers leave for later: a string written with an escaped lone surrogate (<c>"\ud800"</c>)
    /// parses, but cannot be read as text, and would fail wherever it is first read.
    /// </summary>
    internal static class JsonStrings
    {
        /// <summary>True when every property name and string value is text; syntax errors are left to the parser.</summary>
        public static bool AllReadable(ReadOnlySpan<byte> utf8, JsonReaderOptions options)
        {
            var reader = new Utf8JsonReader(utf8, options);
            try
            {
                while (reader.Read())
                {
                    if (reader.TokenType == JsonTokenType.PropertyName || reader.TokenType == JsonTokenType.String) reader.GetString();
                }
            }
            catch (JsonException)
            {
                return true;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
            return true;
        }
    }
}
