Console.WriteLine("load tests");
