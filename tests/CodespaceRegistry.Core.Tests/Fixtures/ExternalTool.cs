using System;
using System.Diagnostics;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace CodespaceRegistry.Tests.Fixtures
{
    /// <summary>Runs a real command-line tool (htpasswd, skopeo) to completion with a bounded wait.</summary>
    public static class ExternalTool
    {
        public sealed record Result(int ExitCode, string Output, string Error);

        public static async Task<Result> RunAsync(string file, params string[] arguments)
        {
            var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in arguments) info.ArgumentList.Add(a);
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{file} did not finish within 60 s");
            }
            return new Result(process.ExitCode, await output, await error);
        }

        public static async Task<string> RunCheckedAsync(string file, params string[] arguments)
        {
            var result = await RunAsync(file, arguments);
            if (result.ExitCode != 0) throw new InvalidOperationException($"{file} failed ({result.ExitCode}): {result.Error}");
            return result.Output;
        }
    }
}
