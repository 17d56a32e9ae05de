# One idle JVM (Idle.java: main sleeps) with and without -XX:-UsePerfData, twice each: CPU of its "VM Periodic Task"
# thread over 30 s (from /proc), and whether jcmd still reaches it by pid. Run: javac Idle.java && python3 periodic-task.py
import os,time,subprocess,sys
def vmp(pid):
    tot=0
    for tid in os.listdir(f'/proc/{pid}/task'):
        st=open(f'/proc/{pid}/task/{tid}/stat').read()
        comm=st[st.index('(')+1:st.rindex(')')]
        f=st[st.rindex(')')+2:].split()
        if comm.startswith('VM Periodic'): tot+=int(f[11])+int(f[12])
    return tot
for opts in [[],['-XX:-UsePerfData'],[],['-XX:-UsePerfData']]:
    p=subprocess.Popen(['java','-Xmx64m']+opts+['-cp','.','Idle'])
    time.sleep(5); a=vmp(p.pid); time.sleep(30); b=vmp(p.pid)
    # check jcmd by pid still works
    r=subprocess.run(['jcmd',str(p.pid),'VM.uptime'],capture_output=True,text=True)
    print(opts, f'{(b-a)*1000/os.sysconf("SC_CLK_TCK")/30:.2f} ms/s', 'jcmd ok' if r.returncode==0 else 'jcmd FAIL '+r.stderr[:100])
    p.kill()
