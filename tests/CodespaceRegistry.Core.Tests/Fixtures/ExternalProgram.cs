using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace CodespaceRegistry.Tests.Fixtures
{
    /// <summary>Runs a real program (gpg, pass, skopeo) for a test and returns what it said; fails the test on a hang.</summary>
    public static class ExternalProgram
    {
        public static (int ExitCode, string Output, string Error) Run(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? input = null)
        {
            var start = new ProcessStartInfo(program)
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var a in arguments) start.ArgumentList.Add(a);
            if (environment != null)
            {
                foreach (var pair in environment) start.Environment[pair.Key] = pair.Value;
            }
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            try
            {
                if (input != null) process.StandardInput.Write(input);
                process.StandardInput.Close();
            }
            catch (System.IO.IOException)
            {
                // The program stopped reading (as one that caps its input does); its answer says the rest.
            }
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill();
                throw new TimeoutException($"{program} did not finish within 60 s.");
            }
            return (process.ExitCode, output.Result, error.Result);
        }
    }
}
