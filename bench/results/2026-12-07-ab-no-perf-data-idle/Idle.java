public class Idle { public static void main(String[] a) throws Exception { Thread.sleep(600_000); } }
